package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        JsonNode report = new ObjectMapper().readTree(json.toFile());
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
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt") + ",jfr=off")
                .deadline(Duration.ofMinutes(4))
                .mainClass("io.socktrace.scenario.MixedLoad", "32", Integer.toString(total), Integer.toString(ports));
        Report report = run.runForReport();

        assertEquals("0", run.printed("failed"), run.stdout());
        long sum = 0;
        for (int p = 0; p < ports; p++) {
            String endpoint = "127.0.0.1:" + run.printed("port." + p);
            long opened = Long.parseLong(run.printed("opened." + p));
            long timeouts = Long.parseLong(run.printed("timeouts." + p));
            long eofs = Long.parseLong(run.printed("eofs." + p));
            long clean = Long.parseLong(run.printed("clean." + p));
            sum += opened;
            Report.Block client = report.endpoint(endpoint);
            assertEquals(opened, client.number("opened (\\d+)"), client.text());
            assertEquals(opened, client.number("closed (\\d+)"), client.text());
            assertEquals(timeouts + " after a read timeout, " + eofs + " after end of stream (peer closed first), "
                    + clean + " with no error on it; " + timeouts + " with a request in flight", client.line("closes"));
            Report.Block server = report.accepted(endpoint);
            assertEquals(opened, server.number("opened (\\d+)"), server.text());
            assertEquals(opened, server.number("closed (\\d+)"), server.text());
        }
        assertEquals(total, sum);
        assertEquals(total, report.headerNumber("connections: (\\d+) opened"));
        assertTrue(report.text().contains("\nagent: 0 internal errors, 0 connections untracked"), report.text());
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
        JsonNode report = new ObjectMapper().readTree(json.toFile());
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
        Report report = stack.runForReport();
        assertEquals(3, stack.stdout().lines().filter("answer=ok"::equals).count(), stack.stdout());
        Report.Block block = report.endpoint("127.0.0.1:" + stack.printed("port"));
        assertEquals(3, block.number("closed (\\d+)"));
        assertTrue(block.line("closed by").startsWith("(stack not kept"), block.text());
        assertTrue(report.text().matches("(?s).*internal errors \\(stack capture [1-9]\\d*; last: stack capture: "
                + "java.lang.IllegalStateException: socktrace test fault: STACK\\).*"), report.text());

        // recording fails: the application is unaffected, the failures are counted
        Files.createDirectories(dir.resolve("record"));
        AgentRun record = AgentRun.on(javaHome, dir.resolve("record")).jvmArg("-Dsocktrace.test.faults=record")
                .mainClass("io.socktrace.scenario.ReadTimeout");
        Report recordReport = record.runForReport();
        assertEquals("2", record.printed("timeouts"));
        assertTrue(recordReport.text().matches("(?s).*\nagent: [1-9]\\d* internal errors \\(recording [1-9]\\d*; last: "
                + "recording: java.lang.IllegalStateException: socktrace test fault: RECORD\\).*"), recordReport.text());

        // rendering the report fails: one line, the JVM exits normally
        Files.createDirectories(dir.resolve("report"));
        AgentRun render = AgentRun.on(javaHome, dir.resolve("report")).jvmArg("-Dsocktrace.test.faults=report")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, render.waitFor());
        assertEquals(List.of("socktrace: could not render the report (java.lang.IllegalStateException: socktrace test "
                + "fault: REPORT)"), agentLines(render));

        // writing the report file fails: the report goes to standard error instead, nothing is lost
        Files.createDirectories(dir.resolve("write"));
        AgentRun write = AgentRun.on(javaHome, dir.resolve("write")).jvmArg("-Dsocktrace.test.faults=write")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, write.waitFor());
        assertTrue(write.stderr().contains("socktrace: could not write the report to "), write.stderr());
        assertTrue(write.stderr().contains("socktrace report (exit)"), write.stderr());
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
                .options("report=" + dir.resolve("no/such/dir/report.txt")).mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, missing.waitFor());
        assertEquals("socktrace: cannot write reports to " + dir.resolve("no/such/dir/report.txt")
                + " (no such directory); reports go to standard error instead", agentLines(missing).get(0));
        assertTrue(missing.stderr().contains("socktrace report (exit)"), "the report is not lost: " + missing.stderr());

        Files.createDirectories(dir.resolve("full"));
        AgentRun full = AgentRun.on(javaHome, dir.resolve("full"))
                .options("report=" + dir.resolve("full/report.txt") + ",trace=/dev/full")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, full.waitFor(), full.stderr());
        assertEquals(3, full.stdout().lines().filter("answer=ok"::equals).count());
        assertTrue(full.stderr().contains("socktrace: event trace stopped (java.io.IOException: No space left on device)"),
                full.stderr());
        assertTrue(Files.readString(dir.resolve("full/report.txt")).contains("opened 3"), "recording went on");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void signalsUnderLoadAndDuringShutdownAreHarmless(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt") + ",jfr=off")
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
        Report report = run.report();
        assertEquals("0", run.printed("failed"));
        long opened = 0;
        for (int p = 0; p < 2; p++) {
            opened += report.endpoint("127.0.0.1:" + run.printed("port." + p)).number("opened (\\d+)");
        }
        assertEquals(20_000, opened, "the last report written is complete");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void classLoadingAndSocketTrafficTogetherNeitherDeadlockNorRecurse(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt"))
                .jvmArg("-Xlog:class+load=info:file=" + dir.resolve("classes.log"))
                .deadline(Duration.ofMinutes(3))
                .mainClass("io.socktrace.scenario.ClassLoadStorm", "8", "4000", "2");
        Report report = run.runForReport();
        assertTrue(Integer.parseInt(run.printed("classesLoaded")) > 1_000, run.stdout());
        assertEquals("0", run.printed("failed"));
        long opened = 0;
        for (int p = 0; p < 2; p++) {
            opened += report.endpoint("127.0.0.1:" + run.printed("port." + p)).number("opened (\\d+)");
        }
        assertEquals(4_000, opened);
        assertTrue(report.text().contains("\nagent: 0 internal errors"), report.text());
    }

    /** The probe's lines, without what the JVM itself logs to standard output (JFR's start-up line). */
    private static List<String> transcript(AgentRun run) throws Exception {
        return run.stdout().lines().filter(l -> !l.startsWith("[")).collect(Collectors.toList());
    }

    private static List<String> agentLines(AgentRun run) throws Exception {
        return run.stderr().lines().filter(l -> l.startsWith("socktrace")).collect(Collectors.toList());
    }
}
