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
import java.util.List;
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

    private static Schema schema() {
        Schema compiled = schema;
        if (compiled == null) {
            try (InputStream in = ReportJson.class.getResourceAsStream("/io/socktrace/agent/report/report-schema.json")) {
                compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            schema = compiled;
        }
        return compiled;
    }
}
