package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.RedisServer;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The peer's idle timeout, stale reuse and what to change, against loopback HTTP servers that close connections
 * idle 600 ms ({@code io.socktrace.scenario.idle.IdlePeers}): clients reuse connections after 100 ms (answered) and
 * after 1.5 s (closed meanwhile). Bounds are asserted only where the scenario's sleeps make them certain.
 */
class IdleTimeoutIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void idleTimeoutIsBoundedExactOrStaleAndTheFixNamesTheLibrary(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.idle.IdlePeers");
        JsonNode report = run.runForJson();
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());

        // a blocking socket: each of 3 connections answered after 100 and 300 ms idle, then its request after 900 ms
        // meets the server's close (stale reuse); the timeout lies between
        assertEquals("9", run.printed("socketAnswered"), "the precondition: 3 of 4 requests per connection answered");
        JsonNode socket = idle(report, run.printed("socketPort"));
        assertEquals(3, socket.get("reusedConnections").asLong(), socket.toPrettyString());
        assertEquals(3, socket.get("staleReuses").asLong(), socket.toPrettyString());
        assertEquals(3, socket.get("foundClosed").asLong(), socket.toPrettyString());
        assertEquals(0, socket.get("exactCloses").asLong(), socket.toPrettyString());
        assertTrue(socket.get("enough").asBoolean() && socket.get("consistent").asBoolean(), socket.toPrettyString());
        assertTrue(socket.get("timeoutAboveMicros").asLong() >= 300_000, socket.toPrettyString());
        assertTrue(socket.get("timeoutAtMostMicros").asLong() >= 900_000, socket.toPrettyString());
        assertTrue(socket.get("reusedUpToMicros").asLong() >= socket.get("timeoutAtMostMicros").asLong());
        assertTrue(socket.get("timeout").asText().startsWith("the peer closes connections idle longer than "),
                socket.get("timeout").asText());
        assertTrue(socket.get("staleFoundBy").get("frame").asText().startsWith(
                "io.socktrace.scenario.idle.IdlePeers.exchange("), socket.get("staleFoundBy").toString());
        assertNull(socket.get("library").textValue(), "no known library: the plain-words version");
        assertTrue(socket.get("suggestion").asText().startsWith("close or check pooled connections idle longer than"),
                socket.get("suggestion").asText());
        assertTrue(endpoint(report, run.printed("socketPort")).get("verdict").asText().contains("3 stale reuses"));

        // a selector-driven channel reads while idle: each server close is seen as it comes, the idle time exact
        assertEquals("3", run.printed("nioAnswered"));
        JsonNode nio = idle(report, run.printed("nioPort"));
        assertEquals(3, nio.get("exactCloses").asLong(), nio.toPrettyString());
        assertTrue(nio.get("exact").asBoolean(), nio.toPrettyString());
        assertEquals(0, nio.get("staleReuses").asLong(), nio.toPrettyString());
        assertTrue(nio.get("exactMinMicros").asLong() >= 500_000, nio.toPrettyString());
        assertTrue(nio.get("timeout").asText().startsWith("the peer closes connections idle for "),
                nio.get("timeout").asText());

        // the JDK HttpClient reads its idle connections too: exact, and the fix is its keep-alive property
        assertEquals("6", run.printed("jdkAnswered"));
        JsonNode jdk = idle(report, run.printed("jdkPort"));
        assertEquals(3, jdk.get("exactCloses").asLong(), jdk.toPrettyString());
        assertEquals("JDK HttpClient", jdk.get("library").asText(), jdk.toPrettyString());
        assertTrue(jdk.get("suggestion").asText().contains("jdk.httpclient.keepalive.timeout"));

        // Apache HttpClient 4 and OkHttp reuse stale connections (and retry): stale reuse, their own settings
        assertEquals("7", run.printed("apacheAnswered"), "every request answered, the stale ones on a retry");
        JsonNode apache = idle(report, run.printed("apachePort"));
        assertEquals(3, apache.get("staleReuses").asLong(), apache.toPrettyString());
        assertEquals("Apache HttpClient 4.x", apache.get("library").asText(), apache.toPrettyString());
        assertTrue(apache.get("suggestion").asText().contains("evictIdleConnections"));
        assertTrue(ReportJson.stackOf(report, apache.get("staleFoundBy")).toString()
                .contains("org.apache.http.impl.execchain.MainClientExec"), apache.get("staleFoundBy").toString());

        assertEquals("7", run.printed("okhttpAnswered"));
        JsonNode okHttp = idle(report, run.printed("okhttpPort"));
        assertEquals(3, okHttp.get("staleReuses").asLong(), okHttp.toPrettyString());
        assertEquals("OkHttp", okHttp.get("library").asText(), okHttp.toPrettyString());
        assertTrue(okHttp.get("suggestion").asText().contains("ConnectionPool"));
    }

    /**
     * Jedis's pool against a redis-server of this test's own with {@code --timeout 1}: stale reuses, and the fix is
     * Jedis's own pool test. The server binary comes from {@code SOCKTRACE_REDIS_SERVER} ({@code scripts/run-tests}
     * sets it) or {@code /usr/bin/redis-server}; without one the test is skipped, or fails under
     * {@code SOCKTRACE_STRICT=1}.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void jedisReusesConnectionsRedisClosedForIdleness(Path javaHome, @TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir, "--timeout", "1")) {
            AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.idle.JedisStaleReuse",
                    redis.address());
            JsonNode report = run.runForJson();
            long failed = Long.parseLong(run.printed("failed"));
            assertTrue(failed >= 3, "the precondition: each round's PING after 2.5 s met redis's close: " + failed);
            assertEquals("9", run.printed("answered"), "every PING answered, the failed ones on a retry");
            JsonNode idle = idle(report, redis.address().substring(redis.address().indexOf(':') + 1));
            assertEquals(failed, idle.get("staleReuses").asLong(), idle.toPrettyString());
            assertTrue(idle.get("timeoutAtMostMicros").asLong() > 1_000_000, "redis closes after 1 s idle, never "
                    + "sooner: " + idle.toPrettyString());
            assertTrue(idle.get("timeoutAboveMicros").asLong() >= 100_000, idle.toPrettyString());
            assertTrue(ReportJson.stackOf(report, idle.get("staleFoundBy")).toString().contains("redis.clients.jedis."),
                    idle.get("staleFoundBy").toString());
            assertEquals("Jedis", idle.get("library").asText(), idle.toPrettyString());
            assertTrue(idle.get("suggestion").asText().startsWith("enable testOnBorrow, or testWhileIdle"));
            assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
        }
    }

    private static JsonNode endpoint(JsonNode report, String port) {
        return ReportJson.endpoint(report, "127.0.0.1:" + port, false);
    }

    private static JsonNode idle(JsonNode report, String port) {
        JsonNode idle = endpoint(report, port).get("idle");
        assertTrue(idle != null && idle.isObject(), String.valueOf(idle));
        return idle;
    }
}
