package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JDK path to a TCP connection beyond plain {@code Socket} clients: channels (blocking, selector-driven,
 * through the socket adaptor), asynchronous channels, TLS sockets (direct and layered), accepted connections
 * (both server APIs), resets and retry storms. Each in a child JVM with the agent, on every JDK under test.
 */
class ConnectionPathsIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void blockingChannelSeesEndOfStream(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ChannelEndOfStream");
        Report.Block block = run.runForReport().endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("3", run.printed("bytes"));
        assertTrue(block.text().lines().findFirst().get().endsWith("opened 1  closed 1  open 0  via SocketChannel"),
                block.text());
        assertEquals("1 after end of stream (peer closed first); 0 with a request in flight", block.line("closes"));
        assertTrue(block.line("closed by").startsWith(
                "io.socktrace.scenario.ChannelEndOfStream.onPeerClosed(ChannelEndOfStream.java:"), block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void selectorDrivenChannelsConnectFinishAndCloseThroughTheirKeys(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ChannelSelector");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals(2, run.stdout().lines().filter(l -> l.equals("answer=ok")).count(), run.stdout());
        assertEquals(2, block.number("opened (\\d+)"), block.text());
        assertEquals(2, block.number("closed (\\d+)"));
        assertEquals(1, block.number("(\\d+) reconnect"));
        assertEquals("2 with no error on it; 0 with a request in flight", block.line("closes"));
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.ChannelSelector.closeKey(ChannelSelector.java:"),
                block.text());
        // the connect is attributed to the thread that called connect(), not to finishConnect
        assertTrue(block.line("reopened by").startsWith("io.socktrace.scenario.ChannelSelector.exchange(ChannelSelector.java:"),
                block.text());

        assertEquals("true", run.printed("refused"));
        Report.Block refused = report.endpoint("127.0.0.1:" + run.printed("refusedPort"));
        assertEquals(0, refused.number("opened (\\d+)"));
        assertEquals(1, refused.number("failed (\\d+)"));
        assertTrue(refused.line("verdict").contains("1 connection attempts failed (1 refused)"), refused.text());
        assertTrue(refused.line("failed by").startsWith(
                "io.socktrace.scenario.ChannelSelector.connectRefused(ChannelSelector.java:"), refused.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketAdaptorTimeoutIsTheChannelsOneConnection(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.AdaptorTimeout");
        Report.Block block = run.runForReport().endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("true", run.printed("timeout"));
        assertTrue(block.text().lines().findFirst().get().endsWith("opened 1  closed 1  open 0  via SocketChannel"),
                block.text());
        assertEquals("1 after a read timeout; 1 with a request in flight", block.line("closes"));
        assertTrue(block.line("verdict").contains("after a read timeout (SO_TIMEOUT 200 ms)"), block.text());
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.AdaptorTimeout.giveUp(AdaptorTimeout.java:"),
                block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void asynchronousChannelTimeoutsAndFailedConnects(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.AsyncTimeout");
        Report report = run.runForReport();
        Report.Block block = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("2", run.printed("timeouts"));
        assertTrue(block.text().lines().findFirst().get()
                .endsWith("opened 2  closed 2  open 0  via AsynchronousSocketChannel"), block.text());
        assertEquals(1, block.number("(\\d+) reconnect"));
        assertTrue(block.line("closes").startsWith("2 after a read timeout;"), block.text());
        assertTrue(block.line("verdict").contains("after a read timeout (SO_TIMEOUT 200 ms)"), block.text());
        assertTrue(block.line("closed by").startsWith("io.socktrace.scenario.AsyncTimeout.giveUp(AsyncTimeout.java:"),
                block.text());
        assertTrue(block.line("reopened by").startsWith("io.socktrace.scenario.AsyncTimeout.main(AsyncTimeout.java:"),
                block.text());

        assertEquals("true", run.printed("refused"));
        Report.Block refused = report.endpoint("127.0.0.1:" + run.printed("refusedPort"));
        assertEquals(0, refused.number("opened (\\d+)"));
        assertEquals(1, refused.number("failed (\\d+)"), refused.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void tlsSocketsDirectAndLayeredAreOneConnectionEachMarkedTls(Path javaHome, @TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(javaHome.resolve("bin/keytool").toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));

        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.TlsLayers", keyStore.toString());
        Report report = run.runForReport();
        String port = run.printed("port");
        Report.Block client = report.endpoint("127.0.0.1:" + port);

        assertTrue(run.printed("direct").startsWith("ok TLS"), run.stdout());
        assertTrue(run.printed("layered").startsWith("ok TLS"), run.stdout());
        assertEquals("true", run.printed("plainClosed"));
        assertTrue(client.text().lines().findFirst().get()
                .endsWith("opened 2  closed 2  open 0  via Socket  TLS 2 of 2 closed"), client.text());
        // the 1 ms drain an SSLSocket close does internally is not a timeout the application had
        assertEquals("2 with no error on it; 0 with a request in flight", client.line("closes"));
        assertTrue(client.line("closed by").startsWith("io.socktrace.scenario.TlsLayers.close"), client.text());
        assertTrue(report.text().contains("at sun.security.ssl.SSLSocketImpl.close("), "the TLS layer is in the close stack");
        assertEquals(2, client.text().lines().filter(l -> l.matches("\\s+:\\d+  TLS  open .*")).count(), client.text());

        Report.Block server = report.accepted("127.0.0.1:" + port);
        assertEquals(2, server.number("opened (\\d+)"), server.text());
        assertTrue(server.text().lines().findFirst().get().contains("TLS 2 of 2 closed"), server.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void serversThatDropIdleClientsAreGroupedByListeningPort(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.IdleServer");
        Report report = run.runForReport();

        assertEquals("6", run.printed("dropped"));
        Report.Block sockets = report.accepted("127.0.0.1:" + run.printed("port"));
        assertTrue(sockets.text().lines().findFirst().get().endsWith("opened 3  closed 3  open 0  via Socket"),
                sockets.text());
        assertEquals("3 after a read timeout; 0 with a request in flight", sockets.line("closes"));
        assertTrue(sockets.line("verdict").contains("after a read timeout (SO_TIMEOUT 200 ms)"), sockets.text());
        assertTrue(sockets.line("verdict").contains("clients reconnected 2 times"), sockets.text());
        assertTrue(sockets.line("closed by").startsWith("io.socktrace.scenario.IdleServer.dropIdleClient(IdleServer.java:"),
                sockets.text());
        assertTrue(sockets.line("accepted by").startsWith("io.socktrace.scenario.IdleServer.serveSockets(IdleServer.java:"),
                sockets.text());
        assertEquals(3, sockets.text().lines().filter(l -> l.matches("\\s+from 127\\.0\\.0\\.1:\\d+  open .*")).count(),
                "each cycle names the client's address and port:\n" + sockets.text());

        Report.Block channels = report.accepted("127.0.0.1:" + run.printed("channelPort"));
        assertTrue(channels.text().lines().findFirst().get().endsWith("opened 3  closed 3  open 0  via SocketChannel"),
                channels.text());
        assertEquals("3 after a read timeout; 0 with a request in flight", channels.line("closes"));
        assertTrue(channels.line("closed by").startsWith("io.socktrace.scenario.IdleServer.dropIdleChannel(IdleServer.java:"),
                channels.text());

        // the clients see the mirror image: the peer closed first, six times over two endpoints
        assertEquals("3 after end of stream (peer closed first); 0 with a request in flight",
                report.endpoint("127.0.0.1:" + run.printed("port")).line("closes"));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void connectTimeoutsAreFailedAttemptsThatTimedOut(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConnectTimeout");
        Report.Block block = run.runForReport().endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("2", run.printed("queued"), "backlog 1 completes two handshakes on Linux");
        assertEquals("2", run.printed("timeouts"), "and drops the next SYNs (tcp_abort_on_overflow=0)");
        assertEquals(2, block.number("opened (\\d+)"), block.text());
        assertEquals(2, block.number("failed (\\d+)"), block.text());
        assertTrue(block.line("verdict").contains("2 connection attempts failed (2 timed out)"), block.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void resetsEndConnectionsAndRetryStormsShowAsFailedAttempts(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ResetAndRetry");
        Report report = run.runForReport();

        assertEquals("Connection reset", run.printed("reset"));
        Report.Block reset = report.endpoint("127.0.0.1:" + run.printed("port"));
        assertEquals("1 after a connection reset; 1 with a request in flight", reset.line("closes"));
        assertTrue(reset.line("verdict").startsWith("1 of 1 closes after a connection reset, every time with a request in flight"), reset.text());
        assertTrue(reset.text().contains("error ") && reset.text().contains("(java.net.SocketException: Connection reset)"),
                reset.text());

        assertEquals("5 thenConnected=true", run.printed("refused"));
        Report.Block storm = report.endpoint("127.0.0.1:" + run.printed("retryPort"));
        assertEquals(5, storm.number("failed (\\d+)"), storm.text());
        assertEquals(1, storm.number("opened (\\d+)"), storm.text());
        assertTrue(storm.line("verdict").contains("5 connection attempts failed (5 refused)"), storm.text());
    }
}
