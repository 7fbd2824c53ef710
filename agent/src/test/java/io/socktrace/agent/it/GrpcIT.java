package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC-java on {@code grpc-netty-shaded} (Netty 4.2 relocated under {@code io.grpc.netty.shaded}, its epoll inside,
 * no other dependency), client and server in separate JVMs, each with the agent: the server drops connections idle
 * for 500 ms, and gRPC connects again for the next call.
 */
class GrpcIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theServerDropsIdleConnectionsAndGrpcConnectsAgain(Path javaHome, @TempDir Path dir) throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path clientDir = Files.createDirectories(dir.resolve("client"));
        Path stop = dir.resolve("stop");
        AgentRun server = AgentRun.on(javaHome, serverDir).json()
                .mainClass("io.socktrace.scenario.grpc.IdleDroppingServer", stop.toString()).start();
        JsonNode clientReport;
        JsonNode serverReport;
        String port;
        try {
            port = awaitPort(server);
            AgentRun client = AgentRun.on(javaHome, clientDir)
                    .mainClass("io.socktrace.scenario.grpc.IdleClient", port);
            clientReport = client.runForJson();
            assertEquals("true", client.printed("epollAvailable"), "gRPC's own epoll loaded: " + client.stderr());
            assertEquals(3, client.stdout().lines().filter(l -> l.startsWith("answer=echo call ")).count());
        } finally {
            Files.writeString(stop, "");
            server.waitFor();
        }
        assertEquals("true", server.printed("epollAvailable"));
        serverReport = server.jsonReport();
        String endpoint = "127.0.0.1:" + port;

        JsonNode client = ReportJson.endpoint(clientReport, endpoint, false);
        assertEquals("[\"Netty epoll\"]", client.get("transports").toString(), "the relocated epoll, not NIO");
        assertEquals(3, client.get("opened").asLong(), client.toPrettyString());
        assertTrue(client.get("closed").asLong() >= 2, client.toPrettyString());
        assertTrue(client.get("closesByCause").get("endOfStream").asLong() >= 2,
                "the server closed first: " + client.get("closesByCause"));
        assertEquals(2, client.get("reconnects").asLong(), client.toPrettyString());
        JsonNode reopenedBy = client.get("reopenedBy");
        assertTrue(reopenedBy.get("decidedBy").asText().startsWith(
                "io.grpc.netty.shaded.io.grpc.netty.NettyClientTransport.start("), "gRPC's transport asked: " + reopenedBy);
        assertTrue(reopenedBy.get("application").asText().startsWith("io.socktrace.scenario.grpc.IdleClient.main("),
                "for the application's next call: " + reopenedBy);
        assertEquals(0, clientReport.get("agent").get("errors").asLong(), clientReport.get("agent").toString());

        JsonNode accepted = ReportJson.endpoint(serverReport, endpoint, true);
        assertEquals("[\"Netty epoll\"]", accepted.get("transports").toString());
        assertEquals(3, accepted.get("opened").asLong(), accepted.toPrettyString());
        assertTrue(accepted.get("closed").asLong() >= 2, accepted.toPrettyString());
        // gRPC's idle manager sends GOAWAY; the close follows when that write completes, in HTTP/2's listener
        JsonNode closedBy = accepted.get("closedBy");
        assertTrue(closedBy.get("decidedBy").asText().startsWith("io.grpc.netty.shaded.io.netty.handler.codec.http2."
                + "Http2ConnectionHandler$ClosingChannelFutureListener.operationComplete("), closedBy.toString());
        assertEquals(0, serverReport.get("agent").get("errors").asLong(), serverReport.get("agent").toString());
    }

    private static String awaitPort(AgentRun server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.stdout().lines().noneMatch(l -> l.startsWith("port="))) {
            assertTrue(System.nanoTime() < deadline && server.process().isAlive(), server.stdout() + server.stderr());
            Thread.sleep(20);
        }
        return server.printed("port");
    }
}
