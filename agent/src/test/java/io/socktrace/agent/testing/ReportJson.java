package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The JSON report as tests read it: checked against its published schema first, then read for facts. The
 * wording of the text report is pinned in the rendering tests only.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile Schema schema;

    private ReportJson() {
    }

    /** Parses a report, failing the test if it does not match the schema. */
    public static JsonNode parse(String text) {
        List<Error> errors = schema().validate(text, InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Error::toString).collect(Collectors.toList()), text);
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint {@code key} ({@code 127.0.0.1:11211}), made by this JVM or accepted by it. */
    public static JsonNode endpoint(JsonNode report, String key, boolean accepted) {
        for (JsonNode endpoint : report.get("endpoints")) {
            if (endpoint.get("endpoint").asText().equals(key) && endpoint.get("accepted").asBoolean() == accepted) {
                return endpoint;
            }
        }
        throw new AssertionError("no endpoint " + key + " (accepted=" + accepted + ") in " + report.toPrettyString());
    }

    /** The stack with this id. */
    public static JsonNode stack(JsonNode report, long id) {
        for (JsonNode stack : report.get("stacks")) {
            if (stack.get("id").asLong() == id) {
                return stack;
            }
        }
        throw new AssertionError("no stack " + id + " in " + report.toPrettyString());
    }

    /**
     * The one JSON report among other lines on a stream (standard error, where the agent writes a report it
     * could not write to its file), checked against its schema.
     */
    public static JsonNode parseFrom(String output) {
        List<String> reports = output.lines().filter(l -> l.startsWith("{\"version\":"))
                .collect(Collectors.toList());
        assertEquals(1, reports.size(), "one JSON report in:\n" + output);
        return parse(reports.get(0));
    }

    /** The endpoint's closes by cause, the causes with none left out, in the schema's order. */
    public static Map<String, Long> closes(JsonNode endpoint) {
        Map<String, Long> closes = counts(endpoint.get("closesByCause"));
        closes.values().removeIf(n -> n == 0);
        return closes;
    }

    /**
     * The endpoint's connection counts and APIs in one line, to compare whole:
     * {@code opened=2 openedBeforeRecording=0 closed=2 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]}.
     */
    public static String tally(JsonNode endpoint) {
        List<String> transports = new ArrayList<>();
        endpoint.get("transports").forEach(t -> transports.add(t.asText()));
        return "opened=" + endpoint.get("opened").asLong()
                + " openedBeforeRecording=" + endpoint.get("openedBeforeRecording").asLong()
                + " closed=" + endpoint.get("closed").asLong()
                + " open=" + endpoint.get("open").asLong()
                + " failedConnects=" + endpoint.get("failedConnects").asLong()
                + " tlsClosed=" + endpoint.get("tlsClosed").asLong()
                + " transports=" + transports;
    }

    /** An object of counts ({@code failedConnectsByReason}, {@code errorsByPlace}) as a map, in its order. */
    public static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            counts.put(entry.getKey(), entry.getValue().asLong());
        }
        return counts;
    }

    /** The endpoint's kept cycle of connection id {@code id} (as the HTML page's {@code data-id} says it), or null. */
    public static JsonNode cycle(JsonNode endpoint, String id) {
        for (JsonNode c : endpoint.get("cycles")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }

    /** The endpoint's cycles, oldest first. */
    public static List<JsonNode> cycles(JsonNode endpoint) {
        List<JsonNode> cycles = new ArrayList<>();
        endpoint.get("cycles").forEach(cycles::add);
        return cycles;
    }

    /** The stack an attribution ({@code closedBy}, {@code reopenedBy}, ...) points to; fails if it has none. */
    public static JsonNode stackOf(JsonNode report, JsonNode attribution) {
        if (attribution == null || attribution.isNull() || attribution.get("stackId").isNull()) {
            throw new AssertionError("no stack kept for " + attribution);
        }
        return stack(report, attribution.get("stackId").asLong());
    }

    /** A stack's frames as {@code pkg.Class.method}, innermost first. */
    public static List<String> methods(JsonNode stack) {
        List<String> methods = new ArrayList<>();
        stack.get("frames").forEach(f -> methods.add(f.get("class").asText() + "." + f.get("method").asText()));
        return methods;
    }

    /**
     * The schema from the agent's classes, or, where they are not on the class path (another module's tests, which
     * have the agent's test jar only), from the agent jar under test.
     */
    private static Schema schema() {
        Schema compiled = schema;
        if (compiled == null) {
            String name = "io/socktrace/agent/report/report-schema.json";
            try (InputStream in = ReportJson.class.getResourceAsStream("/" + name)) {
                if (in != null) {
                    compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
                } else {
                    try (JarFile jar = new JarFile(AgentRun.agentJar().toFile());
                         InputStream shipped = jar.getInputStream(jar.getEntry(name))) {
                        compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                                .getSchema(shipped);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            schema = compiled;
        }
        return compiled;
    }
}
