package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC-java on {@code grpc-netty-shaded} (Netty 4.2 relocated under {@code io.grpc.netty.shaded}, its epoll inside,
 * no other dependency), client and server in separate JVMs, each with the agent: the server drops connections idle
 * for 1 s (gRPC's minimum); the client's channel goes idle and closes its transport; the server's keepalive closes a connection
 * whose client stopped answering pings. Each time gRPC connects again for the next call.
 */
class GrpcIT {

    private static final String GRPC_NETTY = "io.grpc.netty.shaded.io.grpc.netty.";

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
                    .mainClass("io.socktrace.scenario.grpc.IdleClient", port, "2000");
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
        assertTrue(reopenedBy.get("decidedBy").asText().startsWith(GRPC_NETTY + "NettyClientTransport.start("),
                "gRPC's transport asked: " + reopenedBy);
        assertTrue(reopenedBy.get("application").asText().startsWith("io.socktrace.scenario.grpc.IdleClient.main("),
                "for the application's next call: " + reopenedBy);
        assertEquals(0, clientReport.get("agent").get("errors").asLong(), clientReport.get("agent").toString());

        // The peer's idle timeout, exact (the event loop reads the idle connection): the server's goodbye (GOAWAY, a
        // ping and its ack, GOAWAY) comes within a millisecond of its close and is no idleness; the quiet before it
        // is. gRPC's server never drops a connection idle less than 1 s; 0.5 s leaves the client's timing room.
        JsonNode idle = client.get("idle");
        assertEquals(3, idle.get("exactCloses").asLong(), idle.toPrettyString());
        assertTrue(idle.get("exact").asBoolean(), idle.toPrettyString());
        assertTrue(idle.get("exactMinMicros").asLong() >= 500_000, "the quiet before the goodbye: " + idle);
        assertTrue(idle.get("exactMaxMicros").asLong() < 2_000_000, "no longer than the client's pause: " + idle);
        assertEquals(0, idle.get("staleReuses").asLong(), idle.toPrettyString());
        assertEquals("gRPC", idle.get("library").asText(), idle.toPrettyString());
        String fix = idle.get("suggestion").asText();
        assertTrue(fix.startsWith("set idleTimeout on the channel builder below ") && fix.contains("keepAliveTime"),
                fix);

        JsonNode accepted = ReportJson.endpoint(serverReport, endpoint, true);
        assertEquals("[\"Netty epoll\"]", accepted.get("transports").toString());
        assertEquals(3, accepted.get("opened").asLong(), accepted.toPrettyString());
        assertTrue(accepted.get("closed").asLong() >= 2, accepted.toPrettyString());
        // gRPC's idle manager starts a graceful shutdown (GOAWAY and a ping); on the ping's ack, the second GOAWAY
        // and the close, which Netty's HTTP/2 listener carries out once that GOAWAY is written
        JsonNode closedBy = accepted.get("closedBy");
        assertTrue(closedBy.get("decidedBy").asText().startsWith(
                GRPC_NETTY + "NettyServerHandler$GracefulShutdown.secondGoAwayAndClose("), closedBy.toString());
        assertEquals(0, serverReport.get("agent").get("errors").asLong(), serverReport.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theClientsIdleChannelClosesItsTransportAndConnectsAgainForTheNextCall(Path javaHome, @TempDir Path dir)
            throws Exception {
        Path stop = dir.resolve("stop");
        AgentRun server = AgentRun.on(javaHome, Files.createDirectories(dir.resolve("server"))).json()
                .mainClass("io.socktrace.scenario.grpc.EchoServer", stop.toString()).start();
        JsonNode clientReport;
        String port;
        try {
            port = awaitPort(server);
            AgentRun client = AgentRun.on(javaHome, Files.createDirectories(dir.resolve("client")))
                    .mainClass("io.socktrace.scenario.grpc.IdleModeClient", port);
            clientReport = client.runForJson();
            assertEquals("true", client.printed("epollAvailable"), "gRPC's own epoll loaded: " + client.stderr());
            assertEquals(List.of("answer=echo call 0", "transportTerminated=true", "state=IDLE",
                    "answer=echo call 1", "transportTerminated=true", "state=IDLE"),
                    client.stdout().lines().filter(l -> !l.startsWith("epoll")).toList(),
                    "each transport ended with the channel in idle mode");
        } finally {
            Files.writeString(stop, "");
            server.waitFor();
        }
        assertEquals("true", server.printed("epollAvailable"));
        JsonNode serverReport = server.jsonReport();
        String endpoint = "127.0.0.1:" + port;

        JsonNode client = ReportJson.endpoint(clientReport, endpoint, false);
        assertEquals("[\"Netty epoll\"]", client.get("transports").toString(), "the relocated epoll, not NIO");
        assertEquals(2, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(Map.of("noError", 2L), ReportJson.closes(client), "this JVM closed: " + client.toPrettyString());
        assertEquals(1, client.get("reconnects").asLong(), client.toPrettyString());
        // The idle timer (ManagedChannelImpl$IdleModeTimer) and the subchannel's delayed shutdown run on other
        // threads; on the event loop, where the socket closes, gRPC's handler carries out the transport's shutdown.
        JsonNode closedBy = client.get("closedBy");
        assertEquals(2, closedBy.get("count").asLong(), closedBy.toString());
        assertTrue(closedBy.get("decidedBy").asText().startsWith(GRPC_NETTY + "NettyClientHandler.gracefulClose("),
                closedBy.toString());
        JsonNode reopenedBy = client.get("reopenedBy");
        assertTrue(reopenedBy.get("decidedBy").asText().startsWith(GRPC_NETTY + "NettyClientTransport.start("),
                "gRPC's transport asked: " + reopenedBy);
        // Leaving idle mode queues the connect on gRPC's synchronization context, and whichever thread drains it
        // first runs it: the application's call, or one of gRPC's own (the DNS resolver's, or the event loop still
        // ending the old transport), whose stack has no application frame.
        List<String> reopen = ReportJson.methods(ReportJson.stackOf(clientReport, reopenedBy));
        JsonNode application = reopenedBy.get("application");
        assertTrue(application.isNull() ? reopen.contains("io.grpc.SynchronizationContext.drain")
                : application.asText().startsWith("io.socktrace.scenario.grpc.IdleModeClient.main("),
                "gRPC's thread or the next call: " + reopenedBy + " " + reopen);
        assertEquals(0, clientReport.get("agent").get("errors").asLong(), clientReport.get("agent").toString());

        JsonNode accepted = ReportJson.endpoint(serverReport, endpoint, true);
        assertEquals("[\"Netty epoll\"]", accepted.get("transports").toString());
        assertEquals(2, accepted.get("opened").asLong(), accepted.toPrettyString());
        assertEquals(Map.of("endOfStream", 2L), ReportJson.closes(accepted), "the client closed first");
        assertEquals(0, serverReport.get("agent").get("errors").asLong(), serverReport.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theServersKeepaliveClosesAConnectionWhoseClientStoppedAnsweringAndTheClientConnectsAgain(Path javaHome,
            @TempDir Path dir) throws Exception {
        Path stop = dir.resolve("stop");
        AgentRun server = AgentRun.on(javaHome, Files.createDirectories(dir.resolve("server"))).json()
                .mainClass("io.socktrace.scenario.grpc.KeepAliveServer", stop.toString()).start();
        AgentRun client;
        String port;
        try {
            port = awaitPort(server);
            client = AgentRun.on(javaHome, Files.createDirectories(dir.resolve("client"))).json()
                    .mainClass("io.socktrace.scenario.grpc.KeepAliveClient", port).start();
            awaitLine(client, "answer=echo call 0");
            // Frozen, the client JVM cannot answer the server's keepalive ping (10 s without data, then 500 ms).
            signal("STOP", client.process());
            try {
                awaitLine(server, "terminated=1");
            } finally {
                signal("CONT", client.process());
            }
            assertEquals(0, client.waitFor(), client.stdout() + client.stderr());
            assertEquals("true", client.printed("epollAvailable"), "gRPC's own epoll loaded: " + client.stderr());
            assertEquals(List.of("answer=echo call 0", "transportTerminated=true", "answer=echo call 1"),
                    client.stdout().lines().filter(l -> !l.startsWith("epoll")).toList());
        } finally {
            Files.writeString(stop, "");
            server.waitFor();
        }
        assertEquals("true", server.printed("epollAvailable"));
        JsonNode serverReport = server.jsonReport();
        JsonNode clientReport = client.jsonReport();
        String endpoint = "127.0.0.1:" + port;

        JsonNode accepted = ReportJson.endpoint(serverReport, endpoint, true);
        assertEquals("[\"Netty epoll\"]", accepted.get("transports").toString());
        assertEquals(2, accepted.get("opened").asLong(), accepted.toPrettyString());
        assertEquals(1, accepted.get("reconnects").asLong(), accepted.toPrettyString());
        JsonNode keptAlive = ReportJson.cycles(accepted).get(0);
        assertEquals("noError", keptAlive.get("cause").asText(), "the server closed it: " + keptAlive);
        assertFalse(keptAlive.get("requestInFlight").asBoolean(), keptAlive.toString());
        // One close each (keepalive, then the client's at exit): the tie goes to the stack seen first, keepalive's.
        JsonNode closedBy = accepted.get("closedBy");
        assertEquals(keptAlive.get("closeStackId").asLong(), closedBy.get("stackId").asLong(), closedBy.toString());
        assertTrue(closedBy.get("decidedBy").asText().startsWith(
                GRPC_NETTY + "NettyServerHandler$KeepAlivePinger.onPingTimeout("), closedBy.toString());
        assertTrue(ReportJson.methods(ReportJson.stackOf(serverReport, closedBy))
                .contains("io.grpc.internal.KeepAliveManager$1.run"), "on gRPC's keepalive timer: " + closedBy);
        assertEquals(0, serverReport.get("agent").get("errors").asLong(), serverReport.get("agent").toString());

        JsonNode made = ReportJson.endpoint(clientReport, endpoint, false);
        assertEquals("[\"Netty epoll\"]", made.get("transports").toString());
        assertEquals(2, made.get("opened").asLong(), made.toPrettyString());
        assertEquals(1, made.get("reconnects").asLong(), made.toPrettyString());
        String seen = ReportJson.cycles(made).get(0).get("cause").asText();
        assertTrue(seen.equals("endOfStream") || seen.equals("reset"), "resumed, it saw the server's close: " + seen);
        JsonNode reopenedBy = made.get("reopenedBy");
        assertTrue(reopenedBy.get("decidedBy").asText().startsWith(GRPC_NETTY + "NettyClientTransport.start("),
                "gRPC's transport asked: " + reopenedBy);
        assertTrue(reopenedBy.get("application").asText().startsWith(
                "io.socktrace.scenario.grpc.KeepAliveClient.main("), "for the application's next call: " + reopenedBy);
        assertEquals(0, clientReport.get("agent").get("errors").asLong(), clientReport.get("agent").toString());
    }

    /** Sends {@code SIGSTOP} or {@code SIGCONT}: a frozen JVM is a peer that stopped answering, for real. */
    private static void signal(String name, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " failed");
    }

    private static void awaitLine(AgentRun run, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.stdout().lines().noneMatch(line::equals)) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(),
                    "no " + line + ":\n" + run.stdout() + run.stderr());
            Thread.sleep(20);
        }
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
