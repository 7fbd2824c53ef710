package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.MemcachedServer;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pools and clients against real servers that close idle connections themselves: HikariCP with PostgreSQL's JDBC
 * driver against a PostgreSQL whose {@code idle_session_timeout} is 1 s, and spymemcached against a memcached with
 * {@code -o idle_timeout=1}. The report must bound the server's timeout on the right side of 1 s and name the
 * library's own setting. Bounds are asserted only where the server's timeout and the scenarios' pauses make them
 * certain.
 */
class ServerIdleTimeoutIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    /**
     * PostgreSQL ends an idle session with an ErrorResponse and then its FIN; pgjdbc reads that message as the reply
     * to HikariCP's check at borrow, then the end of stream. The reply must not count as an answer (the timeout would
     * read as above 2 s); the close is found within the 2 s gap. The server is {@code SOCKTRACE_POSTGRES}
     * (host:port, user {@code postgres}, trust auth, {@code idle_session_timeout=1s}), which {@code scripts/run-tests}
     * starts; without it the test is skipped, or fails under {@code SOCKTRACE_STRICT=1}.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void hikariFindsSessionsPostgresEndedForIdleness(Path javaHome, @TempDir Path dir) throws Exception {
        String postgres = System.getenv("SOCKTRACE_POSTGRES");
        if (postgres == null || postgres.isBlank()) {
            if ("1".equals(System.getenv("SOCKTRACE_STRICT"))) {
                fail("SOCKTRACE_POSTGRES (host:port) not set");
            }
            assumeTrue(false, "SOCKTRACE_POSTGRES (host:port) not set");
        }
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.idle.HikariIdleSessions",
                postgres);
        JsonNode report = run.runForJson();
        assertEquals("1s", run.printed("idleSessionTimeout"), "the precondition: the server's idle timeout");
        assertEquals("9", run.printed("answered"), "every query answered: HikariCP replaced each dead connection");
        assertEquals("4", run.printed("backends"), "the precondition: after each 2 s pause a new server session");

        JsonNode endpoint = ReportJson.endpoint(report, postgres, false);
        String pretty = endpoint.toPrettyString();
        assertEquals(3, endpoint.get("closesByCause").get("endOfStream").asLong(), "the server closed first: " + pretty);
        assertTrue(ReportJson.stackOf(report, endpoint.get("closedBy")).toString()
                .contains("{\"class\":\"com.zaxxer.hikari.pool.PoolBase\",\"method\":\"isConnectionDead\""),
                "closed by HikariCP's check: " + pretty);
        JsonNode idle = endpoint.get("idle");
        assertEquals(3, idle.get("closedAfterReply").asLong(), "each check read the server's error, then its close: "
                + pretty);
        assertTrue(idle.get("closedAfterReplyMinMicros").asLong() >= 2_000_000, pretty);
        assertEquals(0, idle.get("staleReuses").asLong(), pretty);
        assertTrue(idle.get("enough").asBoolean() && idle.get("consistent").asBoolean(), pretty);
        assertTrue(idle.get("timeoutAboveMicros").asLong() >= 300_000, pretty);
        assertTrue(idle.get("timeoutAboveMicros").asLong() < 1_000_000, "the parting message is no answer: " + pretty);
        assertTrue(idle.get("timeoutAtMostMicros").asLong() >= 2_000_000, "found closed within the 2 s gap: "
                + pretty);
        assertEquals("HikariCP", idle.get("library").asText(), pretty);
        String suggestion = idle.get("suggestion").asText();
        assertTrue(suggestion.contains("keepaliveTime") && suggestion.contains("maxLifetime")
                && suggestion.contains("cannot be set below 30 s"), suggestion);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    /**
     * spymemcached reads only while an operation waits for its answer (its selection key wants no reads otherwise),
     * so memcached's idle close is found by the next get written on the connection: stale reuse, bounded, not
     * exact. The server is this test's own, from {@code SOCKTRACE_MEMCACHED_SERVER} or {@code /usr/bin/memcached}.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void spymemcachedReusesConnectionsMemcachedClosedForIdleness(Path javaHome, @TempDir Path dir) throws Exception {
        try (MemcachedServer memcached = MemcachedServer.start(dir, "-c", "64", "-o", "idle_timeout=1")) {
            AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.idle.SpymemcachedIdle",
                    memcached.address());
            JsonNode report = run.runForJson();
            long failed = Long.parseLong(run.printed("failed"));
            assertEquals(2, failed, "the precondition: each round's get after 4 s met memcached's close");
            assertEquals("6", run.printed("answered"), "every get answered, the cancelled ones on a retry");

            JsonNode endpoint = ReportJson.endpoint(report, memcached.address(), false);
            String pretty = endpoint.toPrettyString();
            JsonNode idle = endpoint.get("idle");
            assertEquals(failed, idle.get("staleReuses").asLong(), pretty);
            assertEquals(0, idle.get("exactCloses").asLong(), "nothing read while idle: " + pretty);
            assertTrue(ReportJson.stackOf(report, idle.get("staleFoundBy")).toString()
                    .contains("net.spy.memcached.MemcachedConnection"), pretty);
            assertTrue(idle.get("enough").asBoolean() && idle.get("consistent").asBoolean(), pretty);
            assertTrue(idle.get("timeoutAboveMicros").asLong() >= 300_000, pretty);
            assertTrue(idle.get("timeoutAtMostMicros").asLong() >= 4_000_000, pretty);
            assertEquals("spymemcached", idle.get("library").asText(), pretty);
            assertTrue(idle.get("suggestion").asText().contains("setMaxReconnectDelay"), pretty);
            assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
        }
    }
}
