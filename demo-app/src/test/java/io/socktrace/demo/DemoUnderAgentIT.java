package io.socktrace.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo (the original memcache / Tokyo Tyrant story) under the real agent, on every JDK under test: the
 * report must name the failover closer, the read timeout, the request in flight and the reconnecting lookup.
 */
class DemoUnderAgentIT {

    private static final String POOL = "io.socktrace.demo.memcache.MemcachePool.";
    private static final Pattern SUMMARY = Pattern.compile("server failures: (\\d+), reconnects: (\\d+)");

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    static Path demoJar() {
        Path jar = Path.of(System.getProperty("socktrace.demoJar", "target/socktrace-demo.jar"));
        assertTrue(Files.isRegularFile(jar), "demo jar not built: " + jar);
        return jar.toAbsolutePath();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void reportNamesTheFailoverCloserTheTimeoutAndTheReconnectingLookup(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).command("-jar", demoJar().toString(), "--seconds", "7");
        JsonNode report = run.runForJson();
        Matcher summary = SUMMARY.matcher(run.stdout());
        assertTrue(summary.find(), run.stdout());
        long failures = Long.parseLong(summary.group(1));
        long reconnects = Long.parseLong(summary.group(2));
        assertTrue(reconnects >= 2, "the demo should have reconnected; stdout:\n" + run.stdout());

        JsonNode server = ReportJson.endpoint(report, serverEndpoint(run.stdout()), false);
        String pretty = server.toPrettyString();
        assertEquals(reconnects, server.get("reconnects").asLong(), pretty);
        assertEquals(reconnects + 1, server.get("opened").asLong(), pretty);
        assertEquals(reconnects + 1, server.get("closed").asLong(), pretty);
        // every server failure is a read timeout with the set in flight; the last close is the demo's own at the end
        assertEquals(Map.of("readTimeout", failures, "noError", 1L), ReportJson.closes(server), pretty);
        assertEquals(failures, server.get("requestInFlightCloses").asLong(), pretty);
        assertEquals("readTimeout", server.get("dominantCause").asText(), pretty);
        assertEquals(1000, server.get("timeoutMillis").asInt(), "the client's 1 s read timeout: " + pretty);
        // the set was sent a little over the 1 s timeout before the close, and the pool reconnected at once
        long inFlight = server.get("medianInFlightMicros").asLong();
        assertTrue(inFlight >= 1_000_000 && inFlight < 1_100_000, "sent " + inFlight + " us before the close");
        long gap = server.get("medianReconnectGapMicros").asLong();
        assertTrue(gap >= 0 && gap < 10_000, "reopened " + gap + " us later");
        JsonNode closedBy = server.get("closedBy");
        assertTrue(closedBy.get("frame").asText().startsWith(POOL + "serverFailure(MemcachePool.java:"), closedBy.toString());
        assertTrue(closedBy.get("application").asText().startsWith("io.socktrace.demo.App."), closedBy.toString());
        JsonNode reopenedBy = server.get("reopenedBy");
        assertTrue(reopenedBy.get("frame").asText().startsWith(POOL + "findServer(MemcachePool.java:"),
                reopenedBy.toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void signalWritesAReportAndTheDemoCarriesOn(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).json().command("-jar", demoJar().toString(), "--seconds", "8").start();
        long pid = run.process().pid();
        awaitOutput(run, "reconnected to", Duration.ofSeconds(10));

        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
        JsonNode onSignal = awaitReport(run, "signal SIGUSR1", Duration.ofSeconds(10));
        String demoEndpoint = serverEndpoint(run.stdout());
        long reconnectsAtSignal = ReportJson.endpoint(onSignal, demoEndpoint, false).get("reconnects").asLong();
        assertTrue(reconnectsAtSignal >= 1, onSignal.toPrettyString());
        assertTrue(run.process().isAlive(), "the demo must survive the signal");

        assertEquals(0, run.waitFor(), run.stderr());
        JsonNode atExit = run.jsonReport();
        assertEquals("exit", atExit.get("trigger").asText());
        assertTrue(ReportJson.endpoint(atExit, demoEndpoint, false).get("reconnects").asLong() > reconnectsAtSignal,
                "recording carried on after the signal report:\n" + atExit.toPrettyString());
        assertTrue(run.stdout().contains("summary:"), run.stdout());
    }

    /** Against a real memcached (started by .ci/run): one connection, kept for the whole run, no reconnect. */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void realMemcachedKeepsOneConnection(Path javaHome, @TempDir Path dir) throws Exception {
        String memcached = System.getenv("SOCKTRACE_MEMCACHED");
        assumeTrue(memcached != null && !memcached.isBlank(), "SOCKTRACE_MEMCACHED (host:port) not set");
        AgentRun run = AgentRun.on(javaHome, dir)
                .command("-jar", demoJar().toString(), "--server", memcached, "--seconds", "2");
        JsonNode server = ReportJson.endpoint(run.runForJson(), memcached, false);
        String pretty = server.toPrettyString();
        assertEquals(1, server.get("opened").asLong(), pretty);
        assertEquals(0, server.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("noError", 1L), ReportJson.closes(server), pretty);
        assertEquals(0, server.get("requestInFlightCloses").asLong(), pretty);
        assertTrue(server.get("closedBy").get("frame").asText().startsWith(POOL + "closeQuietly(MemcachePool.java:"),
                pretty);
        assertTrue(run.stdout().contains("failed stores: 0"), run.stdout());
    }

    private static String serverEndpoint(String stdout) {
        Matcher m = Pattern.compile("connected to (127\\.0\\.0\\.1:\\d+)").matcher(stdout);
        assertTrue(m.find(), stdout);
        return m.group(1);
    }

    static void awaitOutput(AgentRun run, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!run.stdout().contains(text)) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(),
                    "no '" + text + "' in time:\n" + run.stdout() + run.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The JSON report once the one written for {@code trigger} is there (each is written whole). */
    private static JsonNode awaitReport(AgentRun run, String trigger, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (Files.exists(run.reportFile())) {
                JsonNode report = run.jsonReport();
                if (report.get("trigger").asText().equals(trigger)) {
                    return report;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no report " + trigger + " in time:\n" + run.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
