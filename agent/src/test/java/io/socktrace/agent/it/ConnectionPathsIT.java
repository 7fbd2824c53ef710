package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        JsonNode client = ReportJson.endpoint(run.runForJson(), "127.0.0.1:" + run.printed("port"), false);

        assertEquals("3", run.printed("bytes"));
        assertEquals("opened=1 openedBeforeRecording=0 closed=1 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[SocketChannel]", ReportJson.tally(client), client.toPrettyString());
        assertEquals(Map.of("endOfStream", 1L), ReportJson.closes(client), client.toPrettyString());
        assertEquals(0, client.get("requestInFlightCloses").asLong());
        assertTrue(client.get("closedBy").get("frame").asText().startsWith(
                "io.socktrace.scenario.ChannelEndOfStream.onPeerClosed(ChannelEndOfStream.java:"), client.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void eachSocketConnectHasItsOwnLocalAddressOnIpv4AndIpv6(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.LocalAddresses");
        JsonNode report = run.runForJson();
        assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), run.printedAll("local").stream().distinct().toList(),
                "the precondition: the JVM connected over both IPv4 and IPv6 loopback");

        for (String[] family : new String[][] {{"127.0.0.1:" + run.printed("port4"), "127.0.0.1"},
                {"[0:0:0:0:0:0:0:1]:" + run.printed("port6"), "0:0:0:0:0:0:0:1"}}) {
            JsonNode client = ReportJson.endpoint(report, family[0], false);
            assertEquals(3, client.get("opened").asLong(), client.toPrettyString());
            List<JsonNode> cycles = ReportJson.cycles(client);
            assertEquals(3, cycles.size(), client.toPrettyString());
            for (JsonNode cycle : cycles) {
                assertEquals(family[1], cycle.get("localAddress").asText(), cycle.toPrettyString());
                assertEquals(family[1], cycle.get("network.local.address").asText(), cycle.toPrettyString());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void selectorDrivenChannelsConnectFinishAndCloseThroughTheirKeys(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ChannelSelector");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = client.toPrettyString();

        assertEquals(2, run.stdout().lines().filter(l -> l.equals("answer=ok")).count(), run.stdout());
        assertEquals(2, client.get("opened").asLong(), pretty);
        assertEquals(2, client.get("closed").asLong(), pretty);
        assertEquals(1, client.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("noError", 2L), ReportJson.closes(client), pretty);
        assertEquals(0, client.get("requestInFlightCloses").asLong(), pretty);
        assertTrue(client.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.ChannelSelector.closeKey(ChannelSelector.java:"), pretty);
        // the connect is attributed to the thread that called connect(), not to finishConnect
        assertTrue(client.get("reopenedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.ChannelSelector.exchange(ChannelSelector.java:"), pretty);

        assertEquals("true", run.printed("refused"));
        JsonNode refused = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("refusedPort"), false);
        assertEquals(0, refused.get("opened").asLong(), refused.toPrettyString());
        assertEquals(1, refused.get("failedConnects").asLong(), refused.toPrettyString());
        assertEquals(Map.of("refused", 1L), ReportJson.counts(refused.get("failedConnectsByReason")));
        assertTrue(refused.get("failedBy").get("frame").asText().startsWith(
                "io.socktrace.scenario.ChannelSelector.connectRefused(ChannelSelector.java:"), refused.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketAdaptorTimeoutIsTheChannelsOneConnection(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.AdaptorTimeout");
        JsonNode client = ReportJson.endpoint(run.runForJson(), "127.0.0.1:" + run.printed("port"), false);
        String pretty = client.toPrettyString();

        assertEquals("true", run.printed("timeout"));
        assertEquals("opened=1 openedBeforeRecording=0 closed=1 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[SocketChannel]", ReportJson.tally(client), pretty);
        assertEquals(Map.of("readTimeout", 1L), ReportJson.closes(client), pretty);
        assertEquals(1, client.get("requestInFlightCloses").asLong(), pretty);
        assertEquals("readTimeout", client.get("dominantCause").asText(), pretty);
        assertEquals(200, client.get("timeoutMillis").asInt(), pretty);
        assertTrue(client.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.AdaptorTimeout.giveUp(AdaptorTimeout.java:"), pretty);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void asynchronousChannelTimeoutsAndFailedConnects(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.AsyncTimeout");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = client.toPrettyString();

        assertEquals("2", run.printed("timeouts"));
        assertEquals("opened=2 openedBeforeRecording=0 closed=2 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[AsynchronousSocketChannel]", ReportJson.tally(client), pretty);
        assertEquals(1, client.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("readTimeout", 2L), ReportJson.closes(client), pretty);
        assertEquals("readTimeout", client.get("dominantCause").asText(), pretty);
        assertEquals(200, client.get("timeoutMillis").asInt(), pretty);
        assertTrue(client.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.AsyncTimeout.giveUp(AsyncTimeout.java:"), pretty);
        assertTrue(client.get("reopenedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.AsyncTimeout.main(AsyncTimeout.java:"), pretty);

        assertEquals("true", run.printed("refused"));
        JsonNode refused = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("refusedPort"), false);
        assertEquals(0, refused.get("opened").asLong(), refused.toPrettyString());
        assertEquals(1, refused.get("failedConnects").asLong(), refused.toPrettyString());
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
        JsonNode report = run.runForJson();
        String port = run.printed("port");
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + port, false);
        String pretty = client.toPrettyString();

        assertEquals("ok TLSv1.3", run.printed("direct"), run.stdout());
        assertEquals("ok TLSv1.2", run.printed("layered"), run.stdout());
        assertEquals("true", run.printed("plainClosed"));
        assertEquals("opened=2 openedBeforeRecording=0 closed=2 open=0 failedConnects=0 tlsClosed=2 transports=[Socket]",
                ReportJson.tally(client), pretty);
        // the 1 ms drain an SSLSocket close does internally is not a timeout the application had
        assertEquals(Map.of("noError", 2L), ReportJson.closes(client), pretty);
        assertEquals(0, client.get("requestInFlightCloses").asLong(), pretty);
        // one request each: the handshake's round trips are no request, so nothing was reused
        assertTrue(client.get("idle").isNull() || client.get("idle").get("reusedConnections").asLong() == 0, pretty);
        assertTrue(client.get("closedBy").get("frame").asText().startsWith("io.socktrace.scenario.TlsLayers.close"),
                pretty);
        List<JsonNode> cycles = ReportJson.cycles(client);
        assertEquals(2, cycles.size(), pretty);
        boolean tlsLayerClosed = false;
        for (JsonNode cycle : cycles) {
            assertTrue(cycle.get("tls").asBoolean(), cycle.toString());
            assertTrue(cycle.get("localPort").asInt() > 0 && cycle.get("peer").isNull(), cycle.toString());
            tlsLayerClosed |= ReportJson.methods(ReportJson.stack(report, cycle.get("closeStackId").asLong()))
                    .contains("sun.security.ssl.SSLSocketImpl.close");
        }
        assertTrue(tlsLayerClosed, "the TLS layer is in the close stack: " + report.get("stacks"));

        JsonNode server = ReportJson.endpoint(report, "127.0.0.1:" + port, true);
        assertEquals(2, server.get("opened").asLong(), server.toPrettyString());
        assertEquals(2, server.get("closed").asLong(), server.toPrettyString());
        assertEquals(2, server.get("tlsClosed").asLong(), server.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void serversThatDropIdleClientsAreGroupedByListeningPort(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.IdleServer");
        JsonNode report = run.runForJson();

        assertEquals("6", run.printed("dropped"));
        JsonNode sockets = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), true);
        String pretty = sockets.toPrettyString();
        assertEquals("opened=3 openedBeforeRecording=0 closed=3 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(sockets), pretty);
        assertEquals(Map.of("readTimeout", 3L), ReportJson.closes(sockets), pretty);
        assertEquals(0, sockets.get("requestInFlightCloses").asLong(), pretty);
        assertEquals("readTimeout", sockets.get("dominantCause").asText(), pretty);
        assertEquals(200, sockets.get("timeoutMillis").asInt(), pretty);
        assertEquals(2, sockets.get("reconnects").asLong(), "clients reconnected 2 times: " + pretty);
        assertTrue(sockets.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.IdleServer.dropIdleClient(IdleServer.java:"), pretty);
        assertTrue(sockets.get("acceptedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.IdleServer.serveSockets(IdleServer.java:"), pretty);
        List<JsonNode> cycles = ReportJson.cycles(sockets);
        assertEquals(3, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertTrue(cycle.get("peer").asText().matches("127\\.0\\.0\\.1:\\d+"),
                    "each cycle names the client's address and port: " + cycle);
        }

        JsonNode channels = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("channelPort"), true);
        assertEquals("opened=3 openedBeforeRecording=0 closed=3 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[SocketChannel]", ReportJson.tally(channels), channels.toPrettyString());
        assertEquals(Map.of("readTimeout", 3L), ReportJson.closes(channels), channels.toPrettyString());
        assertEquals(0, channels.get("requestInFlightCloses").asLong(), channels.toPrettyString());
        assertTrue(channels.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.IdleServer.dropIdleChannel(IdleServer.java:"), channels.toPrettyString());

        // the clients see the mirror image: the peer closed first, six times over two endpoints
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        assertEquals(Map.of("endOfStream", 3L), ReportJson.closes(client), client.toPrettyString());
        assertEquals(0, client.get("requestInFlightCloses").asLong(), client.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void connectTimeoutsAreFailedAttemptsThatTimedOut(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConnectTimeout");
        JsonNode client = ReportJson.endpoint(run.runForJson(), "127.0.0.1:" + run.printed("port"), false);

        assertEquals("2", run.printed("queued"), "backlog 1 completes two handshakes on Linux");
        assertEquals("2", run.printed("timeouts"), "and drops the next SYNs (tcp_abort_on_overflow=0)");
        assertEquals(2, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(2, client.get("failedConnects").asLong(), client.toPrettyString());
        assertEquals(Map.of("timed out", 2L), ReportJson.counts(client.get("failedConnectsByReason")),
                client.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void resetsEndConnectionsAndRetryStormsShowAsFailedAttempts(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ResetAndRetry");
        JsonNode report = run.runForJson();

        assertEquals("Connection reset", run.printed("reset"));
        JsonNode reset = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = reset.toPrettyString();
        assertEquals(1, reset.get("closed").asLong(), pretty);
        assertEquals(0, reset.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("reset", 1L), ReportJson.closes(reset), pretty);
        assertEquals(1, reset.get("requestInFlightCloses").asLong(), "every time with a request in flight: " + pretty);
        assertEquals("reset", reset.get("dominantCause").asText(), pretty);
        JsonNode cycle = ReportJson.cycles(reset).get(0);
        assertEquals("reset", cycle.get("cause").asText(), pretty);
        assertTrue(cycle.get("causeAtMicros").asLong() > 0, pretty);
        assertEquals("java.net.SocketException: Connection reset", cycle.get("error").asText(), pretty);

        assertEquals("5 thenConnected=true", run.printed("refused"));
        JsonNode storm = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("retryPort"), false);
        assertEquals(5, storm.get("failedConnects").asLong(), storm.toPrettyString());
        assertEquals(1, storm.get("opened").asLong(), storm.toPrettyString());
        assertEquals(Map.of("refused", 5L), ReportJson.counts(storm.get("failedConnectsByReason")),
                storm.toPrettyString());
    }
}
