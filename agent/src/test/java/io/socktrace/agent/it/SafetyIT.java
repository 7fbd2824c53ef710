package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent guarantees a production JVM, on every JDK under test: the application sees exactly what it sees
 * without the agent; counts are exact under load and stay exact over the caps; failures inside the agent, bad
 * paths and signals never reach the application; no payload byte is ever written out; instrumentation and class
 * loading do not deadlock.
 */
class SafetyIT {

    static final String MARKER = "SOCKTRACE-PAYLOAD-MARKER-7f3a9c";

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    static Path keyStore(Path javaHome, Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(javaHome.resolve("bin/keytool").toString(), "-genkeypair", "-alias",
                "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        return keyStore;
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theApplicationSeesTheSameWithAndWithoutTheAgentAndNoPayloadIsWrittenOut(Path javaHome, @TempDir Path dir)
            throws Exception {
        Path keys = keyStore(javaHome, dir);
        Files.createDirectories(dir.resolve("without"));
        AgentRun without = AgentRun.on(javaHome, dir.resolve("without")).withoutAgent()
                .mainClass("io.socktrace.scenario.BehaviourProbe", keys.toString());
        assertEquals(0, without.waitFor(), without.stderr());

        Path json = dir.resolve("report.json");
        Path trace = dir.resolve("trace.jsonl");
        Path recording = dir.resolve("recording.jfr");
        AgentRun with = AgentRun.on(javaHome, dir).options("report=" + json + ",format=json,trace=" + trace)
                .jvmArg("-XX:StartFlightRecording=dumponexit=true,filename=" + recording)
                .mainClass("io.socktrace.scenario.BehaviourProbe", keys.toString());
        assertEquals(0, with.waitFor(), with.stderr());

        assertEquals(transcript(without), transcript(with), "application-visible results differ with the agent");
        assertTrue(with.stdout().contains("tls.echo=ok"), with.stdout());
        JsonNode report = ReportJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        assertTrue(report.get("totals").get("opened").asInt() >= 10, report.toString());
        assertEquals(0, report.get("agent").get("errors").asInt(), report.toString());

        Process print = new ProcessBuilder(javaHome.resolve("bin/jfr").toString(), "print", recording.toString())
                .redirectErrorStream(true).start();
        String jfr = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(print.waitFor(60, TimeUnit.SECONDS));
        assertTrue(jfr.contains("socktrace.Close"), "the recording has socktrace events");
        for (String output : List.of(Files.readString(json), Files.readString(trace), jfr, with.stderr())) {
            assertFalse(output.contains(MARKER), "payload bytes leaked into an output");
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void countsAreExactUnderLoad(Path javaHome, @TempDir Path dir) throws Exception {
        int total = 100_000;
        int ports = 4;
        AgentRun run = AgentRun.on(javaHome, dir).json().options("jfr=off")
                .deadline(Duration.ofMinutes(4))
                .mainClass("io.socktrace.scenario.MixedLoad", "32", Integer.toString(total), Integer.toString(ports));
        JsonNode report = run.runForJson();

        assertEquals("0", run.printed("failed"), run.stdout());
        long sum = 0;
        for (int p = 0; p < ports; p++) {
            String endpoint = "127.0.0.1:" + run.printed("port." + p);
            long opened = Long.parseLong(run.printed("opened." + p));
            long timeouts = Long.parseLong(run.printed("timeouts." + p));
            long eofs = Long.parseLong(run.printed("eofs." + p));
            long clean = Long.parseLong(run.printed("clean." + p));
            sum += opened;
            JsonNode client = ReportJson.endpoint(report, endpoint, false);
            assertEquals(opened, client.get("opened").asLong(), client.toString());
            assertEquals(opened, client.get("closed").asLong(), client.toString());
            // each cause happened (Map.of leaves out none), and nothing else
            assertEquals(Map.of("readTimeout", timeouts, "endOfStream", eofs, "noError", clean),
                    ReportJson.closes(client), client.toString());
            assertEquals(timeouts, client.get("requestInFlightCloses").asLong(), client.toString());
            JsonNode server = ReportJson.endpoint(report, endpoint, true);
            assertEquals(opened, server.get("opened").asLong(), server.toString());
            assertEquals(opened, server.get("closed").asLong(), server.toString());
        }
        assertEquals(total, sum);
        assertEquals(total, report.get("totals").get("opened").asLong(), report.get("totals").toString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
        assertEquals(0, report.get("dropped").get("untrackedConnections").asLong(), report.get("dropped").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void overTheCapsTotalsStayExactAndTheDroppedDetailIsCounted(Path javaHome, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        int total = 20_000;
        AgentRun run = AgentRun.on(javaHome, dir)
                .options("report=" + json + ",format=json,jfr=off,maxEndpoints=2,maxStacks=16,cycles=1,stackDepth=4,"
                        + "maxConnections=16")
                .deadline(Duration.ofMinutes(3))
                .mainClass("io.socktrace.scenario.MixedLoad", "32", Integer.toString(total), "4");
        assertEquals(0, run.waitFor(), run.stderr());
        JsonNode report = ReportJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        JsonNode totals = report.get("totals");
        JsonNode dropped = report.get("dropped");
        // client and server ends: 2 x total opened, every one counted whether or not detail was kept
        assertEquals(2L * total, totals.get("opened").asLong() + totals.get("accepted").asLong(), report.toString());
        assertEquals(0, totals.get("open").asLong());
        assertTrue(dropped.get("untrackedConnections").asLong() > 0, "maxConnections=16 was exceeded");
        assertEquals(2L * total, totals.get("closed").asLong() + dropped.get("untrackedConnections").asLong(),
                "every connection is either closed with detail or counted as untracked");
        assertTrue(dropped.get("lumpedConnections").asLong() > 0, "maxEndpoints=2 was exceeded");
        assertTrue(report.get("endpoints").size() <= 3, "two endpoints and 'other'");
        long lumped = 0;
        for (JsonNode endpoint : report.get("endpoints")) {
            assertTrue(endpoint.get("cycles").size() <= 1, "cycles=1");
            if (endpoint.get("endpoint").asText().equals("other:0")) {
                lumped = endpoint.get("opened").asLong();
            }
        }
        assertEquals(dropped.get("lumpedConnections").asLong(), lumped, "lumped connections are all under 'other'");
        for (JsonNode stack : report.get("stacks")) {
            assertTrue(stack.get("frames").size() <= 4, "stackDepth=4");
        }
        assertTrue(report.get("stacks").size() <= 16, "maxStacks=16");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void failuresInsideTheAgentNeverReachTheApplication(Path javaHome, @TempDir Path dir) throws Exception {
        // stack capture fails: the application is unaffected, counts stay exact, the failures are counted
        Files.createDirectories(dir.resolve("stack"));
        AgentRun stack = AgentRun.on(javaHome, dir.resolve("stack")).jvmArg("-Dsocktrace.test.faults=stack")
                .mainClass("io.socktrace.scenario.PlainClose");
        JsonNode report = stack.runForJson();
        assertEquals(3, stack.stdout().lines().filter("answer=ok"::equals).count(), stack.stdout());
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + stack.printed("port"), false);
        assertEquals(3, client.get("closed").asLong(), client.toString());
        // the closes are counted, their stack is not kept (and not for want of sampling)
        JsonNode closedBy = client.get("closedBy");
        assertTrue(closedBy.isObject() && closedBy.get("stackId").isNull() && closedBy.get("frame").isNull(),
                closedBy.toString());
        assertEquals(0, closedBy.get("notSampled").asLong(), closedBy.toString());
        assertAgentErrors(report, "stack capture", "java.lang.IllegalStateException: socktrace test fault: STACK");

        // recording fails: the application is unaffected, the failures are counted
        Files.createDirectories(dir.resolve("record"));
        AgentRun record = AgentRun.on(javaHome, dir.resolve("record")).jvmArg("-Dsocktrace.test.faults=record")
                .mainClass("io.socktrace.scenario.ReadTimeout");
        JsonNode recordReport = record.runForJson();
        assertEquals("2", record.printed("timeouts"));
        assertAgentErrors(recordReport, "recording", "java.lang.IllegalStateException: socktrace test fault: RECORD");

        // rendering the report fails: one line, the JVM exits normally
        Files.createDirectories(dir.resolve("report"));
        AgentRun render = AgentRun.on(javaHome, dir.resolve("report")).jvmArg("-Dsocktrace.test.faults=report")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, render.waitFor());
        assertEquals(List.of("socktrace: could not render the report (java.lang.IllegalStateException: socktrace test "
                + "fault: REPORT)"), agentLines(render));

        // writing the report file fails: the report goes to standard error instead, nothing is lost
        Files.createDirectories(dir.resolve("write"));
        AgentRun write = AgentRun.on(javaHome, dir.resolve("write")).json().jvmArg("-Dsocktrace.test.faults=write")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, write.waitFor());
        assertTrue(write.stderr().contains("socktrace: could not write the report to "), write.stderr());
        assertWholeReport(ReportJson.parseFrom(write.stderr()), write);
        assertEquals(3, write.stdout().lines().filter("answer=ok"::equals).count());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void agentFailuresAreVisibleInStatus(Path javaHome, @TempDir Path dir) throws Exception {
        Path stop = dir.resolve("stop");
        AgentRun target = AgentRun.on(javaHome, dir).jvmArg("-Dsocktrace.test.faults=stack")
                .mainClass("io.socktrace.scenario.Churner", stop.toString()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!target.stdout().contains("connection=3")) {
                assertTrue(System.nanoTime() < deadline && target.process().isAlive(), target.stderr());
                Thread.sleep(20);
            }
            AttachIT.Cli status = AttachIT.cli(javaHome, "status", Long.toString(target.process().pid()));
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().matches("(?s).*\nagent errors: [1-9]\\d* \\(last: stack capture: "
                    + "java.lang.IllegalStateException: socktrace test fault: STACK\\)\n.*"), status.out());
        } finally {
            Files.writeString(stop, "");
            target.waitFor();
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void badPathsAreOneLineAndNothingIsLost(Path javaHome, @TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("missing"));
        AgentRun missing = AgentRun.on(javaHome, dir.resolve("missing"))
                .options("report=" + dir.resolve("no/such/dir/report.json") + ",format=json")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, missing.waitFor());
        assertEquals("socktrace: cannot write reports to " + dir.resolve("no/such/dir/report.json")
                + " (no such directory); reports go to standard error instead", agentLines(missing).get(0));
        assertWholeReport(ReportJson.parseFrom(missing.stderr()), missing); // the report is not lost

        Files.createDirectories(dir.resolve("full"));
        AgentRun full = AgentRun.on(javaHome, dir.resolve("full")).json().options("trace=/dev/full")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, full.waitFor(), full.stderr());
        assertEquals(3, full.stdout().lines().filter("answer=ok"::equals).count());
        assertTrue(full.stderr().contains("socktrace: event trace stopped (java.io.IOException: No space left on device)"),
                full.stderr());
        assertEquals(3, ReportJson.endpoint(full.jsonReport(), "127.0.0.1:" + full.printed("port"), false)
                .get("opened").asLong(), "recording went on");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void signalsUnderLoadAndDuringShutdownAreHarmless(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).json().options("jfr=off")
                .mainClass("io.socktrace.scenario.MixedLoad", "16", "20000", "2").start();
        // without a handler SIGUSR1 ends a JVM: signal only once the agent is up (main has printed its ports)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.stdout().contains("port.1=")) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(), run.stderr());
            Thread.sleep(10);
        }
        int signals = 0;
        while (run.process().isAlive() && signals < 2_000) { // keeps signalling through the shutdown
            new ProcessBuilder("kill", "-USR1", Long.toString(run.process().pid())).start().waitFor();
            signals++;
            Thread.sleep(20);
        }
        assertEquals(0, run.waitFor(), run.stderr());
        assertTrue(signals > 10, "signalled " + signals + " times");
        JsonNode report = run.jsonReport();
        assertEquals("0", run.printed("failed"));
        long opened = 0;
        for (int p = 0; p < 2; p++) {
            opened += ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port." + p), false).get("opened").asLong();
        }
        assertEquals(20_000, opened, "the last report written is complete");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void classLoadingAndSocketTrafficTogetherNeitherDeadlockNorRecurse(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir)
                .jvmArg("-Xlog:class+load=info:file=" + dir.resolve("classes.log"))
                .deadline(Duration.ofMinutes(3))
                .mainClass("io.socktrace.scenario.ClassLoadStorm", "8", "4000", "2");
        JsonNode report = run.runForJson();
        assertTrue(Integer.parseInt(run.printed("classesLoaded")) > 1_000, run.stdout());
        assertEquals("0", run.printed("failed"));
        long opened = 0;
        for (int p = 0; p < 2; p++) {
            opened += ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port." + p), false).get("opened").asLong();
        }
        assertEquals(4_000, opened);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    /** The agent failed only at {@code place}, at least once, last with {@code error}. */
    private static void assertAgentErrors(JsonNode report, String place, String error) {
        JsonNode agent = report.get("agent");
        Map<String, Long> places = ReportJson.counts(agent.get("errorsByPlace"));
        assertEquals(List.of(place), List.copyOf(places.keySet()), agent.toString());
        assertTrue(places.get(place) >= 1 && agent.get("errors").asLong() >= places.get(place), agent.toString());
        assertEquals(place + ": " + error, agent.get("lastError").asText(), agent.toString());
    }

    /** A report of the whole PlainClose run, written at exit. */
    private static void assertWholeReport(JsonNode report, AgentRun run) throws Exception {
        assertEquals("exit", report.get("trigger").asText());
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        assertEquals(3, client.get("opened").asLong(), client.toString());
        assertEquals(3, client.get("closed").asLong(), client.toString());
    }

    /** The probe's lines, without what the JVM itself logs to standard output (JFR's start-up line). */
    private static List<String> transcript(AgentRun run) throws Exception {
        return run.stdout().lines().filter(l -> !l.startsWith("[")).collect(Collectors.toList());
    }

    /**
     * Reads and writes allocate nothing in the agent, on a tracked connection (socket and channel), on one that is
     * never tracked (a Unix domain channel: every lookup misses), and once the table is full (maxConnections=16,
     * 20 connections opened first). Bytes are this thread's allocation over a loop, least of several rounds after a
     * warm-up, with escape analysis off so that nothing passes only because the JIT happened to remove an
     * allocation; the same loop without the agent is the reference.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void readsAndWritesAllocateNothingTrackedOrNot(Path javaHome, @TempDir Path dir) throws Exception {
        String noEscapeAnalysis = "-XX:-DoEscapeAnalysis";
        Files.createDirectories(dir.resolve("without"));
        AgentRun without = AgentRun.on(javaHome, dir.resolve("without")).withoutAgent().jvmArg(noEscapeAnalysis)
                .mainClass("io.socktrace.scenario.IoAllocation");
        assertEquals(0, without.waitFor(), without.stderr());
        Files.createDirectories(dir.resolve("tracked"));
        AgentRun tracked = AgentRun.on(javaHome, dir.resolve("tracked")).json().jvmArg(noEscapeAnalysis)
                .mainClass("io.socktrace.scenario.IoAllocation");
        JsonNode trackedReport = tracked.runForJson();
        assertEquals(4, trackedReport.get("totals").get("opened").asLong() + trackedReport.get("totals")
                .get("accepted").asLong(), "the loopback socket and channel pairs are tracked: " + trackedReport);
        Files.createDirectories(dir.resolve("full"));
        AgentRun full = AgentRun.on(javaHome, dir.resolve("full")).json().options("maxConnections=16")
                .jvmArg(noEscapeAnalysis).mainClass("io.socktrace.scenario.IoAllocation", "fill");
        JsonNode fullReport = full.runForJson();
        assertTrue(fullReport.get("dropped").get("untrackedConnections").asLong() > 0, fullReport.toString());
        for (String kind : List.of("socket", "channel", "unix")) {
            long reference = Long.parseLong(without.printed("alloc." + kind));
            assertEquals(reference, Long.parseLong(tracked.printed("alloc." + kind)), kind + ", tracked");
            assertEquals(reference, Long.parseLong(full.printed("alloc." + kind)), kind + ", table full");
        }
    }

    private static List<String> agentLines(AgentRun run) throws Exception {
        return run.stderr().lines().filter(l -> l.startsWith("socktrace")).collect(Collectors.toList());
    }
}
