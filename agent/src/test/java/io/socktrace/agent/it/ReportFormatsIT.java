package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report as tools read it (JSON against its published schema, the JSON Lines event trace, JDK Flight
 * Recorder events) and as people read it (the text report, whose wording {@code TextReportTest} pins), and the
 * endings no close reports (a leak, a connection still open), on every JDK under test.
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

        JsonNode report = ReportJson.parse(text);
        assertEquals(1, report.get("version").asInt());
        assertEquals("exit", report.get("trigger").asText());
        JsonNode endpoint = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
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
        JsonNode server = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), true);
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
        JsonNode report = ReportJson.parse(text);

        assertEquals(20, report.get("limits").get("stackRate").asInt());
        assertTrue(report.get("dropped").get("stacksNotSampled").asLong() > 0, text);
        JsonNode endpoint = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port.0"), false);
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
        // 20 a second at most for the few seconds the run lasts (a window of 1 s takes 20), and as many again at
        // most for the end-of-stream stacks' own budget
        long seconds = (report.get("takenAtMicros").asLong() - report.get("startedAtMicros").asLong()) / 1_000_000;
        assertTrue(stacksKept <= 2 * 20 * (seconds + 2), "captures bounded by the rate: " + stacksKept);
        assertEquals(2, report.get("limits").get("endpointStackRate").asInt(), "a tenth of stackRate");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void traceStreamsEveryEventAsJsonLines(Path javaHome, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .mainClass("io.socktrace.scenario.ReadTimeout");
        run.runForJson();
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
        run.runForJson();
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
        JsonNode report = run.runForJson();

        JsonNode leak = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("leakPort"), false);
        assertEquals(1, leak.get("closed").asLong(), leak.toPrettyString());
        assertEquals(0, leak.get("reconnects").asLong(), leak.toPrettyString());
        assertEquals(Map.of("collected", 1L), ReportJson.closes(leak), leak.toPrettyString());
        assertEquals(0, leak.get("requestInFlightCloses").asLong(), leak.toPrettyString());
        assertEquals("collected", leak.get("dominantCause").asText(), leak.toPrettyString());
        assertEquals("collected", ReportJson.cycles(leak).get(0).get("cause").asText(), leak.toPrettyString());

        // nothing closed, reconnected or failed: its verdict says no more than that it is open
        JsonNode open = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("openPort"), false);
        assertEquals(1, open.get("opened").asLong(), open.toPrettyString());
        assertEquals(1, open.get("open").asLong(), open.toPrettyString());
        assertEquals(0, open.get("closed").asLong(), open.toPrettyString());
        assertEquals(0, open.get("reconnects").asLong(), open.toPrettyString());
        assertEquals(0, open.get("failedConnects").asLong(), open.toPrettyString());
        assertTrue(open.get("dominantCause").isNull(), open.toPrettyString());
    }

    /** The text format end to end, once: written at exit, with a block per endpoint and the stacks. */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void textReportIsWrittenForPeople(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt") + ",format=text")
                .mainClass("io.socktrace.scenario.PlainClose");
        Report report = run.runForReport();

        assertTrue(report.text().startsWith("socktrace report (exit)  pid " + run.process().pid() + "  "), report.text());
        String heading = report.endpoint("127.0.0.1:" + run.printed("port")).text().lines().findFirst().orElse("");
        assertTrue(heading.contains("   opened 3  closed 3  open 0  via Socket"), report.text());
        assertTrue(report.text().contains("\nstacks ("), report.text());
    }
}
