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
 * Closes decided inside a pool, on the pool's own thread: Apache HttpClient's idle-connection evictor and OkHttp's
 * connection pool cleanup. The report names the pool's decision, not the socket close at the end of its plumbing.
 */
class PoolsIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void poolsThatEvictIdleConnectionsAreNamedAsTheDeciders(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.pools.IdleEvictors");
        JsonNode report = run.runForJson();

        JsonNode apache = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("apachePort"), false);
        assertEquals(2, apache.get("closesByCause").get("noError").asLong(), apache.toPrettyString());
        assertEquals(1, apache.get("reconnects").asLong());
        assertTrue(apache.get("closedBy").get("decidedBy").asText().startsWith(
                "org.apache.http.impl.conn.PoolingHttpClientConnectionManager.closeIdleConnections("),
                apache.get("closedBy").toString());
        assertTrue(apache.get("cycles").get(0).get("closeThread").asText().startsWith("Connection evictor"),
                apache.get("cycles").toString());

        JsonNode okHttp = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("okHttpPort"), false);
        assertEquals(2, okHttp.get("closesByCause").get("noError").asLong(), okHttp.toPrettyString());
        assertEquals(1, okHttp.get("reconnects").asLong());
        assertTrue(okHttp.get("closedBy").get("decidedBy").asText().startsWith(
                "okhttp3.internal.connection.RealConnectionPool.cleanup("), okHttp.get("closedBy").toString());
        assertTrue(okHttp.get("reopenedBy").get("application").asText().startsWith(
                "io.socktrace.scenario.pools.IdleEvictors.okHttp("), okHttp.get("reopenedBy").toString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }
}
