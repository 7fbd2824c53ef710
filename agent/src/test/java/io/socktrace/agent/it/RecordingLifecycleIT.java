package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One recording, one lifetime: a reset replaces it whole (every event once, with its own stack), stacks are
 * never merged across methods, and the agent's own threads fail open.
 */
class RecordingLifecycleIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aResetReplacesTheRecordingWholeAndEveryEventIsEmittedOnce(Path javaHome, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        Path recording = dir.resolve("recording.jfr");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .jvmArg("-XX:StartFlightRecording=dumponexit=true,filename=" + recording)
                .mainClass("io.socktrace.scenario.ResetThrice");
        JsonNode report = run.runForJson();
        assertEquals("5", run.printed("openedAfterResets"));
        String endpoint = "127.0.0.1:" + run.printed("port");

        assertEquals(5, report.get("totals").get("opened").asLong(), report.get("totals").toString());
        assertEquals(5, report.get("totals").get("accepted").asLong(), report.get("totals").toString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trace)));
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            events.add(MAPPER.readTree(line));
        }
        assertEquals(2, connects(events, endpoint, "beforeResets"), "trace: " + events);
        assertEquals(5, connects(events, endpoint, "afterResets"), "trace: " + events);
        assertEquals(7, events.stream().filter(e -> e.get("event").asText().equals("connect")).count());
        assertEquals(7, events.stream().filter(e -> e.get("event").asText().equals("accept")).count());
        assertEquals(14, events.stream().filter(e -> e.get("event").asText().equals("close")).count());
        for (JsonNode close : events) {
            if (close.get("event").asText().equals("close") && !close.get("accepted").asBoolean()) {
                String frames = close.get("frames").toString();
                assertTrue(frames.contains("\"method\":\"beforeResets\"") ^ frames.contains("\"method\":\"afterResets\""),
                        "a client close with its own stack: " + close);
            }
        }

        AgentRun reader = AgentRun.on(javaHome, Files.createDirectories(dir.resolve("reader"))).withoutAgent()
                .mainClass("io.socktrace.scenario.JfrSummary", recording.toString());
        assertEquals(0, reader.waitFor(), reader.stderr());
        assertEquals("14", reader.printed("count.socktrace.Connect"), reader.stdout());
        assertEquals("14", reader.printed("count.socktrace.Close"), reader.stdout());
        assertEquals(5, reader.stdout().lines().filter(l -> l.startsWith("event=socktrace.Connect endpoint=" + endpoint
                + " accepted=false ") && l.contains("ResetThrice.afterResets,")).count(), reader.stdout());
    }

    private static long connects(List<JsonNode> events, String endpoint, String method) {
        return events.stream().filter(e -> e.get("event").asText().equals("connect")
                && e.get("endpoint").asText().equals(endpoint)
                && e.get("frames").toString().contains("\"method\":\"" + method + "\"")).count();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void closersOfOneClassAtOneBytecodeIndexAreToldApart(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.FourClosers");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        assertEquals(4, client.get("closed").asLong());

        Set<Long> stackIds = new HashSet<>();
        Set<String> closers = new HashSet<>();
        for (JsonNode cycle : client.get("cycles")) {
            long id = cycle.get("closeStackId").asLong();
            stackIds.add(id);
            JsonNode closer = closerFrame(ReportJson.stack(report, id));
            closers.add(closer.get("method").asText() + ":" + closer.get("line").asInt());
        }
        assertEquals(4, stackIds.size(), "four distinct closing stacks: " + client.get("cycles"));
        Set<String> printed = run.stdout().lines().filter(l -> l.startsWith("closer."))
                .map(l -> l.substring("closer.".length()).replace('=', ':')).collect(Collectors.toSet());
        assertEquals(4, printed.size(), run.stdout());
        assertEquals(printed, closers, "each closing stack names its own method and line");
    }

    /** The scenario's frame nearest the close that is not the lambdas' shared helper. */
    private static JsonNode closerFrame(JsonNode stack) {
        for (JsonNode frame : stack.get("frames")) {
            if (frame.get("class").asText().equals("io.socktrace.scenario.FourClosers")
                    && !frame.get("method").asText().equals("closeQuietly")) {
                return frame;
            }
        }
        throw new AssertionError("no closer in " + stack);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void failuresOnTheAgentsOwnThreadsNeverReachTheApplication(Path javaHome, @TempDir Path dir) throws Exception {
        // cache=off: with the woven-class cache filled, Byte Buddy's builder (whose thread fails here) never runs
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + dir.resolve("trace.jsonl") + ",cache=off")
                .jvmArg("-Dsocktrace.test.faults=trace,build")
                .mainClass("io.socktrace.scenario.UncaughtWatch");
        JsonNode report = run.runForJson();
        assertEquals(3, run.stdout().lines().filter("answer=ok"::equals).count(), run.stdout());
        assertTrue(run.stdout().lines().noneMatch(l -> l.startsWith("uncaught=")), run.stdout());
        assertTrue(run.stdout().contains("done"), run.stdout());

        JsonNode places = report.get("agent").get("errorsByPlace");
        assertTrue(places.path("trace writer").asLong() >= 1, report.get("agent").toString());
        assertEquals(1, places.path("instrumentation builder").asLong(), report.get("agent").toString());
        assertEquals(3, report.get("totals").get("opened").asLong(), "recording went on");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void resetsAreResetsWhicheverApiReportsThem(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ResetKinds");
        JsonNode report = run.runForJson();
        assertTrue(run.printed("channelWrite").matches("java.io.IOException: (Broken pipe|Connection reset.*)"),
                run.stdout());
        assertTrue(run.printed("socketWrite").matches("java.net.SocketException: (Broken pipe|Connection reset).*"),
                run.stdout());
        for (String port : List.of(run.printed("channelPort"), run.printed("socketPort"))) {
            JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + port, false);
            assertEquals(1, client.get("closesByCause").get("reset").asLong(), client.toPrettyString());
            assertEquals("reset", client.get("cycles").get(0).get("cause").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theTraceIsNeverWrittenThroughALink(Path javaHome, @TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("someone-elses-file"), "untouched\n");
        Path link = Files.createSymbolicLink(dir.resolve("trace.jsonl"), target);
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + link)
                .mainClass("io.socktrace.scenario.PlainClose");
        JsonNode report = run.runForJson();
        assertEquals("untouched\n", Files.readString(target));
        assertTrue(run.stderr().lines().anyMatch(l -> l.startsWith("socktrace: cannot write the event trace to " + link)),
                run.stderr());
        assertEquals(3, report.get("totals").get("opened").asLong(), "recording without the trace");
    }
}
