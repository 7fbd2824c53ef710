package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's native io_uring transport, 4.2 ({@code io.netty.channel.uring}) and the 4.1 incubator's 0.0.26 (both from
 * Maven Central, the native library inside the jar), on every JDK: the story (a {@code ReadTimeoutHandler} closing
 * a connection with a request in flight, a close listener reconnecting), end of stream, a reset, a refused connect
 * and Netty's connect timeout, client and servers in one JVM. Each run checks first that io_uring really was used
 * (a silent fallback to NIO or epoll cannot pass); where the kernel or a sandbox refuses io_uring, the run is
 * skipped, saying why, never passed.
 */
class NettyIoUringIT {

    static Stream<Arguments> javaHomesAndNettyLines() {
        return JavaHomes.all().stream().flatMap(home -> Stream.of(Arguments.of(home, "4.1"), Arguments.of(home, "4.2")));
    }

    @ParameterizedTest
    @MethodSource("javaHomesAndNettyLines")
    void theStoryOverIoUringNamesTheCodeThatDecided(Path javaHome, String line, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).command("-cp",
                AgentRun.testClassPath("netty-" + line, "io_uring-" + line), "io.socktrace.scenario.netty.IoUringStory");
        JsonNode report = run.runForJson();
        assertTrue(run.printed("nettyVersion").startsWith(line + "."), run.printed("nettyVersion"));
        Assumptions.assumeTrue("true".equals(run.printed("ioUringAvailable")),
                () -> "io_uring is not available here: " + stdoutLine(run, "unavailable"));
        String pkg = line.equals("4.1") ? "io.netty.incubator.channel.uring.IOUring" : "io.netty.channel.uring.IoUring";
        assertEquals(line.equals("4.1") ? "io.netty.incubator.channel.uring.IOUringEventLoop"
                : "io.netty.channel.SingleThreadIoEventLoop", run.printed("eventLoop"));
        assertEquals(pkg + "SocketChannel", run.printed("channel"));
        assertEquals(pkg + "ServerSocketChannel", run.printed("serverChannel"));
        assertEquals("3", run.printed("timeoutCloses"));
        assertTrue(run.stderr().lines().noneMatch(l -> l.startsWith("socktrace: could not instrument")), run.stderr());

        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());

        String silent = "127.0.0.1:" + run.printed("silentPort");
        JsonNode client = ReportJson.endpoint(report, silent, false);
        assertEquals("[\"Netty io_uring\"]", client.get("transports").toString());
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
        assertEquals("[\"Netty io_uring\"]", server.get("transports").toString());
        assertEquals(3, server.get("opened").asLong(), server.toPrettyString());
        assertEquals(3, server.get("closesByCause").get("endOfStream").asLong(), server.toPrettyString());
        for (JsonNode cycle : server.get("cycles")) {
            assertEquals(8, cycle.get("bytesRead").asLong(), cycle.toString());
        }

        JsonNode closing = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("closingPort"), false);
        assertEquals(1, closing.get("closesByCause").get("endOfStream").asLong(), closing.toPrettyString());
        assertEquals(3, closing.get("cycles").get(0).get("bytesRead").asLong(), closing.toPrettyString());
        JsonNode closingServer = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("closingPort"), true);
        assertTrue(closingServer.get("closedBy").get("decidedBy").asText().startsWith(
                "io.socktrace.scenario.netty.IoUringStory$"), closingServer.get("closedBy").toString());

        JsonNode reset = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("resetPort"), false);
        assertEquals(1, reset.get("closesByCause").get("reset").asLong(), reset.toPrettyString());
        assertTrue(reset.get("cycles").get(0).get("error").asText().contains("Connection reset by peer"),
                reset.toPrettyString());

        assertEquals("ConnectException", run.printed("refused"));
        JsonNode refused = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("refusedPort"), false);
        assertEquals(Map.of("refused", 1L), ReportJson.counts(refused.get("failedConnectsByReason")),
                refused.toPrettyString());

        assertEquals("ConnectTimeoutException", run.printed("connectTimeout"));
        JsonNode full = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("fullPort"), false);
        assertEquals(Map.of("timed out", 1L), ReportJson.counts(full.get("failedConnectsByReason")),
                full.toPrettyString());
        assertEquals(2, full.get("opened").asLong(), "the two JDK sockets that filled the queue: " + full.toPrettyString());
    }

    private static String stdoutLine(AgentRun run, String key) {
        try {
            return run.printed(key);
        } catch (Exception | AssertionError e) {
            return "(no " + key + " printed)";
        }
    }
}
