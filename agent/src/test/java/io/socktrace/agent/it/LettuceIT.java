package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Lettuce on Netty 4.1's epoll against a real redis-server ({@code scripts/run-tests} installs and starts it, and
 * sets {@code SOCKTRACE_REDIS}) with a 1 s idle timeout: redis closes the idle connection, Lettuce's watchdog
 * reconnects, and the report says so.
 */
class LettuceIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void redisClosesIdleConnectionsAndTheWatchdogReconnects(Path javaHome, @TempDir Path dir) throws Exception {
        String redis = System.getenv("SOCKTRACE_REDIS");
        assumeTrue(redis != null && !redis.isBlank(), "SOCKTRACE_REDIS (host:port) not set");
        AgentRun run = AgentRun.on(javaHome, dir).command("-cp", AgentRun.testClassPath("netty-4.1", "lettuce"),
                "io.socktrace.scenario.lettuce.IdleTimeoutWatchdog", redis);
        JsonNode report = run.runForJson();
        assertEquals("true", run.printed("epollAvailable"), "Lettuce picked epoll: " + run.stderr());
        assertEquals(3, run.stdout().lines().filter("ping=PONG"::equals).count(), run.stdout());

        JsonNode endpoint = ReportJson.endpoint(report, redis, false);
        assertEquals("[\"Netty epoll\"]", endpoint.get("transports").toString(), "epoll, not NIO");
        assertTrue(endpoint.get("closesByCause").get("endOfStream").asLong() >= 2,
                "redis closed the idle connection first: " + endpoint.get("closesByCause"));
        assertTrue(endpoint.get("reconnects").asLong() >= 2, endpoint.toPrettyString());
        JsonNode reopenedBy = endpoint.get("reopenedBy");
        String asked = reopenedBy.get("decidedBy").isNull() ? reopenedBy.get("frame").asText()
                : reopenedBy.get("decidedBy").asText();
        assertTrue(asked.startsWith("io.lettuce.core.protocol.ReconnectionHandler.")
                || asked.startsWith("io.lettuce.core.protocol.ConnectionWatchdog."), "the watchdog asked: " + reopenedBy);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }
}
