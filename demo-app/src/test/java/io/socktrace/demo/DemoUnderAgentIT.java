package io.socktrace.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        Report report = run.runForReport();
        Matcher summary = SUMMARY.matcher(run.stdout());
        assertTrue(summary.find(), run.stdout());
        long failures = Long.parseLong(summary.group(1));
        long reconnects = Long.parseLong(summary.group(2));
        assertTrue(reconnects >= 2, "the demo should have reconnected; stdout:\n" + run.stdout());

        Report.Block block = report.endpoint(serverEndpoint(run.stdout()));
        assertEquals(reconnects, block.number("(\\d+) reconnects"), block.text());
        assertEquals(reconnects + 1, block.number("opened (\\d+)"));
        assertEquals(reconnects + 1, block.number("closed (\\d+)"));
        assertEquals(failures + " after a read timeout, 1 with no error on it; " + failures
                + " with a request in flight", block.line("closes"));
        String verdict = block.line("verdict");
        // "reconnected 7 times; 7 of 8 closes by this JVM 0.4 ms after a read timeout (SO_TIMEOUT 1000 ms),
        // 7 with a request in flight (sent 1.002 s before the close), in MemcachePool.serverFailure(MemcachePool.java:212);
        // reopened 0.6 ms later by MemcachePool.findServer(MemcachePool.java:178); the peer's late reply ... (RST)"
        assertTrue(verdict.startsWith("reconnected " + reconnects + " times; " + failures + " of " + (reconnects + 1)
                + " closes by this JVM "), verdict);
        assertTrue(verdict.contains(" after a read timeout (SO_TIMEOUT 1000 ms), " + failures
                + " with a request in flight (sent 1.0"), verdict);
        assertTrue(verdict.contains(" before the close), in MemcachePool.serverFailure(MemcachePool.java:"), verdict);
        assertTrue(Pattern.compile("; reopened \\d+\\.\\d ms later by MemcachePool\\.findServer\\(MemcachePool\\.java:\\d+\\);")
                .matcher(verdict).find(), verdict);
        assertTrue(verdict.endsWith("; the peer's late reply will meet a closed socket (RST)"), verdict);
        assertTrue(block.line("closed by").startsWith(POOL + "serverFailure(MemcachePool.java:"), block.text());
        assertTrue(block.line("reopened by").startsWith(POOL + "findServer(MemcachePool.java:"), block.text());
        assertTrue(block.line("application").startsWith("io.socktrace.demo.App."), block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void signalWritesAReportAndTheDemoCarriesOn(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).command("-jar", demoJar().toString(), "--seconds", "8").start();
        long pid = run.process().pid();
        awaitOutput(run, "reconnected to", Duration.ofSeconds(10));

        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
        Report onSignal = awaitReport(run, "(signal SIGUSR1)", Duration.ofSeconds(10));
        String demoEndpoint = serverEndpoint(run.stdout());
        long reconnectsAtSignal = onSignal.endpoint(demoEndpoint).number("(\\d+) reconnect");
        assertTrue(reconnectsAtSignal >= 1, onSignal.text());
        assertTrue(run.process().isAlive(), "the demo must survive the signal");

        assertEquals(0, run.waitFor(), run.stderr());
        Report atExit = run.report();
        assertTrue(atExit.text().startsWith("socktrace report (exit)"), atExit.text());
        assertTrue(atExit.endpoint(demoEndpoint).number("(\\d+) reconnects") > reconnectsAtSignal,
                "recording carried on after the signal report:\n" + atExit.text());
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
        Report report = run.runForReport();
        Report.Block block = report.endpoint(memcached);
        assertEquals(1, block.number("opened (\\d+)"), block.text());
        assertEquals(0, block.number("(\\d+) reconnect"), block.text());
        assertEquals("1 with no error on it; 0 with a request in flight", block.line("closes"));
        assertTrue(block.line("closed by").startsWith(POOL + "closeQuietly(MemcachePool.java:"), block.text());
        assertTrue(run.stdout().contains("failed stores: 0"), run.stdout());
    }

    private static String serverEndpoint(String stdout) {
        Matcher m = Pattern.compile("connected to (127\\.0\\.0\\.1:\\d+)").matcher(stdout);
        assertTrue(m.find(), stdout);
        return m.group(1);
    }

    private static void awaitOutput(AgentRun run, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!run.stdout().contains(text)) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(),
                    "no '" + text + "' in time:\n" + run.stdout() + run.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static Report awaitReport(AgentRun run, String trigger, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (Files.exists(run.reportFile())) {
                Report report = run.report();
                if (report.text().contains(trigger)) {
                    return report;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no report " + trigger + " in time:\n" + run.stderr());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
