package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report as tools read it (JSON against its published schema, the JSON Lines event trace, JDK Flight
 * Recorder events), and the endings no close reports (a leak, a connection still open), on every JDK under test.
 */
class ReportFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void jsonReportMatchesItsSchemaAndSaysWhatTheTextSays(Path javaHome, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + file + ",format=json")
                .mainClass("io.socktrace.scenario.ReadTimeout");
        assertEquals(0, run.waitFor(), run.stderr());
        String text = Files.readString(file);

        assertMatchesSchema(text);

        JsonNode report = JSON.readTree(text);
        assertEquals(1, report.get("version").asInt());
        assertEquals("exit", report.get("trigger").asText());
        JsonNode endpoint = find(report.get("endpoints"), "127.0.0.1:" + run.printed("port"), false);
        assertEquals(2, endpoint.get("opened").asInt());
        assertEquals(2, endpoint.get("closed").asInt());
        assertEquals(1, endpoint.get("reconnects").asInt());
        assertEquals(0, endpoint.get("failedConnects").asInt());
        assertEquals(2, endpoint.get("closesByCause").get("readTimeout").asInt());
        assertEquals(0, endpoint.get("closesByCause").get("noError").asInt());
        assertEquals(2, endpoint.get("requestInFlightCloses").asInt());
        assertEquals("readTimeout", endpoint.get("dominantCause").asText());
        assertEquals(300, endpoint.get("timeoutMillis").asInt());
        assertTrue(endpoint.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.ReadTimeout.giveUp(ReadTimeout.java:"), text);
        assertTrue(endpoint.get("verdict").asText().startsWith("reconnected 1 time; 2 of 2 closes by this JVM"), text);
        JsonNode cycle = endpoint.get("cycles").get(0);
        assertEquals("127.0.0.1", cycle.get("localAddress").asText(), text);
        assertEquals("readTimeout", cycle.get("cause").asText());
        assertEquals(300, cycle.get("timeoutMillis").asInt());
        assertTrue(cycle.get("requestInFlight").asBoolean());
        assertTrue(cycle.get("closedAtMicros").asLong() >= cycle.get("causeAtMicros").asLong());
        int closeStack = cycle.get("closeStackId").asInt();
        boolean stackListed = false;
        for (JsonNode stack : report.get("stacks")) {
            stackListed |= stack.get("id").asInt() == closeStack;
        }
        assertTrue(stackListed, "cycles refer to stacks in the report");
        JsonNode server = find(report.get("endpoints"), "127.0.0.1:" + run.printed("port"), true);
        assertEquals(2, server.get("opened").asInt());
        assertTrue(server.has("acceptedBy"), text);
        // an accepted connection opens when accept returns, after its client started connecting
        int matched = 0;
        for (JsonNode accepted : server.get("cycles")) {
            for (JsonNode made : endpoint.get("cycles")) {
                if (accepted.get("peer").asText().equals("127.0.0.1:" + made.get("localPort").asInt())) {
                    assertTrue(accepted.get("openedAtMicros").asLong() >= made.get("openedAtMicros").asLong(), text);
                    matched++;
                }
            }
        }
        // the server may not have closed the last connection yet when the JVM exits; those it closed all match
        assertTrue(matched >= 1 && matched == server.get("cycles").size(),
                "each accepted cycle names its client's port: " + text);
        assertTrue(Files.notExists(dir.resolve("report.json.partial")), "written atomically");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aboveTheStackRateStacksAreSampledAndCountsStayExact(Path javaHome, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + file + ",format=json,stackRate=20")
                .mainClass("io.socktrace.scenario.MixedLoad", "4", "3000", "1");
        assertEquals(0, run.waitFor(), run.stderr());
        String text = Files.readString(file);
        assertMatchesSchema(text);

        JsonNode report = JSON.readTree(text);
        assertEquals(20, report.get("limits").get("stackRate").asInt());
        assertTrue(report.get("dropped").get("stacksNotSampled").asLong() > 0, text);
        JsonNode endpoint = find(report.get("endpoints"), "127.0.0.1:" + run.printed("port.0"), false);
        long opened = Long.parseLong(run.printed("opened.0"));
        assertEquals(opened, endpoint.get("opened").asLong());
        assertEquals(opened, endpoint.get("closed").asLong());
        assertEquals(Long.parseLong(run.printed("timeouts.0")), endpoint.get("closesByCause").get("readTimeout").asLong());
        JsonNode closedBy = endpoint.get("closedBy");
        assertTrue(closedBy.get("notSampled").asLong() > 0, text);
        assertEquals(opened, closedBy.get("of").asLong() + closedBy.get("notSampled").asLong(),
                "every close is either behind a sampled stack or counted as not sampled");
        long stacksKept = 0;
        for (JsonNode stack : report.get("stacks")) {
            stacksKept += stack.get("count").asLong();
        }
        // about 20 a second for the few seconds the run lasts (each 100 ms window takes at most 2)
        assertTrue(stacksKept <= 2 * (report.get("takenAtMicros").asLong() - report.get("startedAtMicros").asLong())
                / 100_000 + 2, "captures bounded by the rate: " + stacksKept);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void traceStreamsEveryEventAsJsonLines(Path javaHome, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt") + ",trace=" + trace)
                .mainClass("io.socktrace.scenario.ReadTimeout");
        run.runForReport();
        String endpoint = "127.0.0.1:" + run.printed("port");

        List<JsonNode> client = new ArrayList<>();
        List<String> serverEvents = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            JsonNode event = JSON.readTree(line); // every line is one JSON object
            if (!event.get("endpoint").asText().equals(endpoint)) {
                continue;
            }
            if (event.get("accepted").asBoolean()) {
                serverEvents.add(event.get("event").asText());
            } else {
                client.add(event);
            }
        }
        assertEquals(List.of("connect", "read_timeout", "close", "connect", "read_timeout", "close"),
                client.stream().map(e -> e.get("event").asText()).collect(Collectors.toList()));
        JsonNode timeout = client.get(1);
        assertEquals(300, timeout.get("timeoutMillis").asInt());
        assertTrue(timeout.get("durationMicros").asLong() >= 290_000, timeout.toString());
        assertTrue(timeout.get("requestInFlight").asBoolean());
        JsonNode close = client.get(2);
        assertEquals("READ_TIMEOUT", close.get("detail").asText());
        assertEquals("main", close.get("thread").asText());
        assertTrue(close.get("frames").toString().contains("\"method\":\"giveUp\""), close.toString());
        assertTrue(close.get("atMicros").asLong() >= timeout.get("atMicros").asLong());
        assertEquals(2, serverEvents.stream().filter("accept"::equals).count(), serverEvents.toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void flightRecorderGetsSocktraceEventsWithStacks(Path javaHome, @TempDir Path dir) throws Exception {
        Path recording = dir.resolve("recording.jfr");
        AgentRun run = AgentRun.on(javaHome, dir)
                .jvmArg("-XX:StartFlightRecording=dumponexit=true,filename=" + recording)
                .mainClass("io.socktrace.scenario.ReadTimeout");
        run.runForReport();
        String endpoint = "127.0.0.1:" + run.printed("port");

        AgentRun reader = AgentRun.on(javaHome, dir.resolve("reader")).withoutAgent()
                .mainClass("io.socktrace.scenario.JfrSummary", recording.toString());
        Files.createDirectories(dir.resolve("reader"));
        assertEquals(0, reader.waitFor(), reader.stderr());
        List<String> closes = reader.stdout().lines()
                .filter(l -> l.startsWith("event=socktrace.Close endpoint=" + endpoint + " accepted=false "))
                .collect(Collectors.toList());
        assertEquals(2, closes.size(), reader.stdout());
        for (String close : closes) {
            assertTrue(close.contains(" cause=READ_TIMEOUT "), close);
            assertTrue(close.contains("io.socktrace.scenario.ReadTimeout.giveUp,"), "stack of the closing code: " + close);
        }
        assertEquals(2, reader.stdout().lines().filter(l -> l.startsWith("event=socktrace.ReadTimeout endpoint="
                + endpoint + " accepted=false soTimeoutMillis=300 ")).count(), reader.stdout());
        assertTrue(reader.stdout().lines().anyMatch(l -> l.startsWith("event=socktrace.Connect endpoint=" + endpoint
                + " accepted=false ") && l.contains("io.socktrace.scenario.Client.connect,")), reader.stdout());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aDroppedConnectionIsALeakAndOneStillOpenIsOpen(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.LeakAndOpen");
        Report report = run.runForReport();

        Report.Block leak = report.endpoint("127.0.0.1:" + run.printed("leakPort"));
        assertEquals("1 never closed, garbage collected; 0 with a request in flight", leak.line("closes"));
        assertTrue(leak.line("verdict").startsWith("1 of 1 closes: never closed, garbage collected (a leak)"),
                leak.text());
        assertTrue(leak.text().contains("  collected "), leak.text());

        Report.Block open = report.endpoint("127.0.0.1:" + run.printed("openPort"));
        assertEquals(1, open.number("  open (\\d+)  via"), open.text());
        assertEquals("no connection closed yet (1 open)", open.line("verdict"));
    }

    private void assertMatchesSchema(String text) throws Exception {
        List<Error> errors;
        try (InputStream schema = getClass().getResourceAsStream("/io/socktrace/agent/report/report-schema.json")) {
            Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
            errors = compiled.validate(text, InputFormat.JSON);
        }
        assertEquals(List.of(), errors.stream().map(Error::toString).collect(Collectors.toList()), text);
    }

    private static JsonNode find(JsonNode endpoints, String key, boolean accepted) {
        for (JsonNode endpoint : endpoints) {
            if (endpoint.get("endpoint").asText().equals(key) && endpoint.get("accepted").asBoolean() == accepted) {
                return endpoint;
            }
        }
        throw new AssertionError("no endpoint " + key + " (accepted=" + accepted + ") in " + endpoints);
    }
}
