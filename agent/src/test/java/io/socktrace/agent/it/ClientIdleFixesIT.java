package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What to change, for more clients (beside {@link IdleTimeoutIT}'s), each against a loopback HTTP server of the
 * scenario's own that closes keep-alive connections idle 600 ms ({@code IdleClosingHttpServer}, whose side of each
 * idle close is a read timeout of 600 ms, asserted as the precondition that the server closed for idleness): Apache
 * HttpClient 5's classic API, which reuses the stale connections, and Reactor Netty's HttpClient on Netty 4.1's
 * native epoll, whose event loop sees each close as it comes. gRPC's is in {@link GrpcIT}.
 */
class ClientIdleFixesIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void apacheHttpClient5ReusesConnectionsTheServerClosedAndTheFixIsItsOwn(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.idle.Http5StaleReuse");
        JsonNode report = run.runForJson();
        assertEquals("7", run.printed("answered"), "every request answered, the stale ones on a retry");
        String port = run.printed("port");
        serverClosedForIdleness(report, port, 3);

        JsonNode idle = idle(report, port);
        assertEquals(3, idle.get("staleReuses").asLong(), idle.toPrettyString());
        assertTrue(idle.get("timeoutAtMostMicros").asLong() >= 600_000, "never before 600 ms: " + idle);
        assertTrue(idle.get("timeoutAboveMicros").asLong() >= 100_000, idle.toPrettyString());
        assertTrue(ReportJson.stackOf(report, idle.get("staleFoundBy")).toString()
                .contains("org.apache.hc.client5.http.impl.classic."), "HttpClient 5 in the stack: " + idle);
        assertEquals("Apache HttpClient 5.x", idle.get("library").asText(), idle.toPrettyString());
        String fix = idle.get("suggestion").asText();
        assertTrue(fix.contains("HttpClientBuilder.evictIdleConnections(TimeValue)")
                && fix.contains("ConnectionConfig.custom().setValidateAfterInactivity(TimeValue)"), fix);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void reactorNettysPoolSeesEachIdleCloseAsItComesOnEpoll(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).json().command("-cp",
                AgentRun.testClassPath("netty-4.1", "reactor-netty"), "io.socktrace.scenario.idle.ReactorNettyIdle");
        JsonNode report = run.runForJson();
        assertEquals("true", run.printed("epollAvailable"), "Netty's native epoll loaded: " + run.stderr());
        assertEquals("6", run.printed("answered"), run.stdout());
        String port = run.printed("port");
        serverClosedForIdleness(report, port, 3);

        JsonNode made = ReportJson.endpoint(report, "127.0.0.1:" + port, false);
        assertEquals("[\"Netty epoll\"]", made.get("transports").toString(), "epoll, not NIO: " + made);
        assertTrue(ReportJson.stackOf(report, made.get("reopenedBy")).toString().contains("reactor.netty."),
                "Reactor Netty in the stack: " + made.get("reopenedBy"));
        JsonNode idle = made.get("idle");
        assertEquals(3, idle.get("exactCloses").asLong(), idle.toPrettyString());
        assertTrue(idle.get("exact").asBoolean(), idle.toPrettyString());
        assertEquals(0, idle.get("staleReuses").asLong(), idle.toPrettyString());
        assertTrue(idle.get("exactMinMicros").asLong() >= 500_000, idle.toPrettyString());
        assertTrue(idle.get("exactMaxMicros").asLong() < 1_500_000, "no longer than the client's pause: " + idle);
        assertEquals("Reactor Netty", idle.get("library").asText(), idle.toPrettyString());
        assertTrue(idle.get("suggestion").asText().startsWith("set ConnectionProvider.builder(name).maxIdleTime("),
                idle.get("suggestion").asText());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    /** The server's side of the idle closes: its read timed out after 600 ms with no request, and it closed. */
    private static void serverClosedForIdleness(JsonNode report, String port, long closes) {
        JsonNode server = ReportJson.endpoint(report, "127.0.0.1:" + port, true);
        assertTrue(server.get("closesByCause").get("readTimeout").asLong() >= closes, server.toPrettyString());
        assertEquals(600, server.get("timeoutMillis").asLong(), server.toPrettyString());
    }

    private static JsonNode idle(JsonNode report, String port) {
        JsonNode idle = ReportJson.endpoint(report, "127.0.0.1:" + port, false).get("idle");
        assertTrue(idle != null && idle.isObject(), String.valueOf(idle));
        return idle;
    }
}
