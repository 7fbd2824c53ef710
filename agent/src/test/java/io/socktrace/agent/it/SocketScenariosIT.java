package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.net.Socket} clients in a child JVM with the real agent jar, on every JDK under test: each scenario
 * drives real loopback sockets and the test reads the report the agent wrote at exit.
 */
class SocketScenariosIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void plainCloseIsOneCloseWithNoErrorWhicheverLayerClosed(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.PlainClose");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals(3, block.number("opened (\\d+)"), block.text());
        assertEquals(3, block.number("closed (\\d+)"), block.text());
        assertEquals(0, block.number("  open (\\d+)  via"), block.text());
        assertEquals(2, block.number("(\\d+) reconnects"), block.text());
        assertEquals("3 with no error on it; 0 with a request in flight", block.line("closes"));
        assertTrue(block.line("verdict").startsWith(
                "reconnected 2 times; 3 of 3 closes by this JVM with no error on the connection (application or pool logic), in PlainClose.release(PlainClose.java:"),
                block.line("verdict"));
        // three closing paths (socket, input stream, output stream): the most frequent is one of them, by line
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.PlainClose.release(PlainClose.java:"),
                block.line("closed by"));
        assertTrue(block.line("reopened by").startsWith("io.socktrace.scenario.Client.connect(Client.java:"),
                block.line("reopened by"));
        assertTrue(block.line("called from").contains("io.socktrace.scenario.PlainClose.main(PlainClose.java:"),
                block.text());
        assertEquals("answer=ok\nanswer=ok\nanswer=ok", run.stdout().lines().filter(l -> l.startsWith("answer="))
                .reduce((a, b) -> a + "\n" + b).orElse(""));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketClassesLoadedBeforeTheAgentAreRetransformed(Path javaHome, @TempDir Path dir) throws Exception {
        Path early = dir.resolve("early-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "io.socktrace.scenario.EarlySocketAgent");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(early), manifest)) {
            String entry = "io/socktrace/scenario/EarlySocketAgent.class";
            jar.putNextEntry(new JarEntry(entry));
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jar);
            }
        }
        AgentRun run = AgentRun.on(javaHome, dir).jvmArgBeforeAgent("-javaagent:" + early)
                .mainClass("io.socktrace.scenario.PlainClose");
        Report report = run.runForReport();

        assertTrue(run.stdout().contains("earlyLoaded=true"), run.stdout());
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));
        assertEquals(3, block.number("opened (\\d+)"), block.text());
        assertEquals(3, block.number("closed (\\d+)"), block.text());
        assertEquals(3, report.headerNumber("connections: (\\d+) opened"), "the early agent's connection predates recording");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void peerCloseIsEndOfStreamAndThePeerClosedFirst(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.PeerClose");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("true", run.printed("eof"));
        assertEquals(1, block.number("opened (\\d+)"));
        assertEquals(1, block.number("closed (\\d+)"));
        assertEquals("1 after end of stream (peer closed first); 0 with a request in flight", block.line("closes"));
        assertTrue(block.line("verdict").startsWith("1 of 1 closes after the peer closed first (end of stream); this JVM closed its side "),
                block.line("verdict"));
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.PeerClose.onEndOfStream(PeerClose.java:"),
                block.line("closed by"));
        assertTrue(block.text().contains("  EOF "), block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void readTimeoutIsTheCauseWithTheRequestInFlight(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ReadTimeout");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("2", run.printed("timeouts"));
        assertEquals(2, block.number("opened (\\d+)"));
        assertEquals(2, block.number("closed (\\d+)"));
        assertEquals(1, block.number("(\\d+) reconnect"));
        assertEquals("2 after a read timeout; 2 with a request in flight", block.line("closes"));
        String verdict = block.line("verdict");
        assertTrue(verdict.startsWith("reconnected 1 time; 2 of 2 closes by this JVM "), verdict);
        assertTrue(verdict.contains(" after a read timeout (SO_TIMEOUT 300 ms), every time with a request in flight (sent 3"),
                verdict);
        assertTrue(verdict.contains("in ReadTimeout.giveUp(ReadTimeout.java:"), verdict);
        assertTrue(verdict.contains("reopened ") && verdict.contains(" later by Client.connect(Client.java:"), verdict);
        assertTrue(verdict.endsWith("; the peer's late reply will meet a closed socket (RST)"), verdict);
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.ReadTimeout.giveUp(ReadTimeout.java:"));
        // the timeline: each cycle shows the timeout with the SO_TIMEOUT and how long the read blocked
        long cyclesWithTimeout = block.text().lines()
                .filter(l -> l.matches("\\s+:\\d+ .* timeout \\S+ \\(SO_TIMEOUT 300 ms, blocked 3\\d\\d ms\\) .*request in flight.*"))
                .count();
        assertEquals(2, cyclesWithTimeout, block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void refusedConnectsAreFailedAttemptsAndTheApplicationStillSeesThem(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConnectRefused");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("3", run.printed("refused"));
        assertEquals(0, block.number("opened (\\d+)"));
        assertEquals(3, block.number("failed (\\d+)"));
        assertTrue(block.line("verdict").contains("3 connection attempts failed (3 refused)"), block.line("verdict"));
        assertTrue(block.line("failed by").startsWith("io.socktrace.scenario.Client.connect(Client.java:"),
                block.line("failed by"));
        assertEquals(3, report.headerNumber("(\\d+) failed to connect"));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void concurrentChurnIsCountedExactly(Path javaHome, @TempDir Path dir) throws Exception {
        int threads = 8;
        int perThread = 100;
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConcurrentChurn",
                String.valueOf(threads), String.valueOf(perThread));
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));
        int total = threads * perThread;

        assertEquals(String.valueOf(total), run.printed("completed"));
        assertEquals(total, block.number("opened (\\d+)"));
        assertEquals(total, block.number("closed (\\d+)"));
        assertEquals(0, block.number("  open (\\d+)  via"));
        assertEquals(total + " with no error on it; 0 with a request in flight", block.line("closes"));
        // every connect after a close pairs with it, except at most one per thread (see EndpointAggregate)
        long reconnects = block.number("(\\d+) reconnects");
        assertTrue(reconnects >= total - threads && reconnects <= total - 1, "reconnects " + reconnects);
        assertTrue(report.text().contains("agent: 0 internal errors"), report.text());
    }
}
