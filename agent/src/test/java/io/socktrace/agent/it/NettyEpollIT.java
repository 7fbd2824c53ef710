package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's native epoll transport, 4.1 and 4.2 (from Maven Central, the native library inside the jar), on every
 * JDK: the story (a {@code ReadTimeoutHandler} closing a connection with a request in flight, a close listener
 * reconnecting), end of stream, a reset, a refused connect, an application closing on {@code IdleStateHandler}'s
 * event and a {@code WriteTimeoutHandler}'s close, client and servers in one JVM. Each run checks
 * first that epoll really was used, so that a silent fallback to NIO (which the JDK hooks would see) cannot pass.
 */
class NettyEpollIT {

    static Stream<Arguments> javaHomesAndNettyLines() {
        return JavaHomes.all().stream().flatMap(home -> Stream.of(Arguments.of(home, "4.1"), Arguments.of(home, "4.2")));
    }

    @ParameterizedTest
    @MethodSource("javaHomesAndNettyLines")
    void theStoryOverEpollNamesTheCodeThatDecided(Path javaHome, String line, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir)
                .command("-cp", AgentRun.testClassPath("netty-" + line), "io.socktrace.scenario.netty.EpollStory");
        JsonNode report = run.runForJson();
        assertEquals("true", run.printed("epollAvailable"), "the native transport loaded: " + run.stderr());
        assertTrue(run.printed("nettyVersion").startsWith(line + "."), run.printed("nettyVersion"));
        assertEquals("io.netty.channel.epoll.EpollEventLoop", run.printed("eventLoop"));
        assertEquals("io.netty.channel.epoll.EpollSocketChannel", run.printed("channel"));
        assertEquals("3", run.printed("timeoutCloses"));
        assertTrue(run.stderr().lines().noneMatch(l -> l.startsWith("socktrace: could not instrument")), run.stderr());

        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());

        String silent = "127.0.0.1:" + run.printed("silentPort");
        JsonNode client = ReportJson.endpoint(report, silent, false);
        assertEquals("[\"Netty epoll\"]", client.get("transports").toString());
        assertEquals(3, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(3, client.get("closed").asLong());
        assertEquals(2, client.get("reconnects").asLong());
        assertEquals(3, client.get("closesByCause").get("noError").asLong(), "Netty's timeout, not the JDK's");
        assertEquals(3, client.get("requestInFlightCloses").asLong());
        assertTrue(client.get("closedBy").get("decidedBy").asText()
                .startsWith("io.netty.handler.timeout.ReadTimeoutHandler.readTimedOut("), client.get("closedBy").toString());
        assertTrue(client.get("verdict").asText().contains("decided in ReadTimeoutHandler.readTimedOut("),
                client.get("verdict").asText());
        for (JsonNode cycle : client.get("cycles")) {
            assertTrue(cycle.get("localPort").asInt() > 0 && cycle.get("bytesWritten").asLong() == 8, cycle.toString());
            assertTrue(cycle.get("requestInFlight").asBoolean(), cycle.toString());
        }
        JsonNode server = ReportJson.endpoint(report, silent, true);
        assertEquals(3, server.get("opened").asLong(), server.toPrettyString());
        assertEquals(3, server.get("closesByCause").get("endOfStream").asLong(), server.toPrettyString());

        JsonNode closing = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("closingPort"), false);
        assertEquals(1, closing.get("closesByCause").get("endOfStream").asLong(), closing.toPrettyString());
        JsonNode closingServer = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("closingPort"), true);
        assertTrue(closingServer.get("closedBy").get("decidedBy").asText().startsWith(
                "io.socktrace.scenario.netty.EpollStory$"), closingServer.get("closedBy").toString());

        JsonNode reset = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("resetPort"), false);
        assertEquals(1, reset.get("closesByCause").get("reset").asLong(), reset.toPrettyString());
        assertTrue(reset.get("cycles").get(0).get("error").asText().contains("Connection reset by peer"));

        JsonNode refused = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("refusedPort"), false);
        assertEquals(1, refused.get("failedConnectsByReason").get("refused").asLong(), refused.toPrettyString());

        JsonNode idle = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("idlePort"), false);
        assertTrue(idle.get("closedBy").get("decidedBy").asText().matches(
                "io\\.socktrace\\.scenario\\.netty\\.EpollStory\\$\\d+\\$\\d+\\.userEventTriggered\\(.*"),
                "the application's handler, on IdleStateHandler's event: " + idle.get("closedBy"));

        assertEquals("WriteTimeoutException", run.printed("writeError"));
        JsonNode stalled = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("stalledPort"), false);
        assertTrue(stalled.get("closedBy").get("decidedBy").asText()
                .startsWith("io.netty.handler.timeout.WriteTimeoutHandler.writeTimedOut("), stalled.get("closedBy").toString());
        assertTrue(stalled.get("cycles").get(0).get("bytesWritten").asLong() > 0, stalled.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomesAndNettyLines")
    void shutdownOutputOverEpollIsAHalfClose(Path javaHome, String line, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir)
                .command("-cp", AgentRun.testClassPath("netty-" + line), "io.socktrace.scenario.netty.EpollHalfClose");
        JsonNode report = run.runForJson();
        assertEquals("true", run.printed("epollAvailable"), "the native transport loaded: " + run.stderr());
        assertTrue(run.printed("nettyVersion").startsWith(line + "."), run.printed("nettyVersion"));
        assertEquals("got 6", run.printed("answer"), "the server read to end of stream: the FIN was sent");
        assertEquals("true", run.printed("closedByPeer"));

        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = client.toPrettyString();
        assertEquals("[\"Netty epoll\"]", client.get("transports").toString(), pretty);
        assertEquals(1, client.get("outputShutdowns").asLong(), pretty);
        assertEquals(0, client.get("inputShutdowns").asLong(), pretty);
        JsonNode cycle = client.get("cycles").get(0);
        assertTrue(cycle.get("shutdownOutputAtMicros").asLong() > cycle.get("lastWriteAtMicros").asLong(), pretty);
        assertTrue(cycle.get("closedAtMicros").asLong() > cycle.get("shutdownOutputAtMicros").asLong(), pretty);
    }
}
