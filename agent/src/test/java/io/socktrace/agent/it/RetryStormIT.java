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
 * A client retrying a closed loopback port, steadily and with a doubling backoff: the report counts the attempts,
 * says whether it backs off with the gaps it measured, and names the frame that retries.
 */
class RetryStormIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aSteadyRetryLoopIsNoBackoff(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.RetryLoop", "steady", "30", "50");
        JsonNode report = run.runForJson();
        assertEquals("30", run.printed("refused"), "every attempt was refused");
        JsonNode retries = retries(report, run);

        assertEquals(30, retries.get("attempts").asLong(), retries.toString());
        assertEquals("none", retries.get("backoff").asText(), retries.toString());
        assertTrue(retries.get("lowGapMicros").asLong() >= 50_000, "gaps are at least the sleep: " + retries);
        assertEquals(29, retries.get("gapsMeasured").asInt(), "30 attempts fit the kept times: " + retries);
        assertTrue(retries.get("spanMicros").asLong() >= 29 * 50_000L, retries.toString());
        assertTrue(retries.get("summary").asText().startsWith("30 attempts in "), retries.toString());
        assertTrue(retries.get("summary").asText().contains(", no backoff (gaps mostly "), retries.toString());
        assertRetriedByTheLoop(report, retries);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aDoublingBackoffIsSaidWithItsFirstAndLastGap(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.RetryLoop", "backoff", "9", "5");
        JsonNode report = run.runForJson();
        assertEquals("9", run.printed("refused"));
        JsonNode retries = retries(report, run);

        assertEquals(9, retries.get("attempts").asLong(), retries.toString());
        assertEquals("backingOff", retries.get("backoff").asText(), retries.toString());
        assertTrue(retries.get("firstGapMicros").asLong() >= 5_000, retries.toString());
        assertTrue(retries.get("lastGapMicros").asLong() >= 640_000, "the sleep doubled 7 times: " + retries);
        assertTrue(retries.get("summary").asText().contains(", backing off (gaps "), retries.toString());
        assertRetriedByTheLoop(report, retries);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void tooFewAttemptsGiveNoVerdict(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.RetryLoop", "backoff", "3", "5");
        JsonNode report = run.runForJson();
        assertEquals("3", run.printed("refused"));
        JsonNode retries = retries(report, run);

        assertEquals(3, retries.get("attempts").asLong());
        assertEquals("tooFew", retries.get("backoff").asText(), retries.toString());
        assertTrue(retries.get("summary").asText().endsWith(": too few to tell whether it backs off (5 needed)"),
                retries.toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theTextReportHasARetriesLine(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.RetryLoop", "steady", "12", "50");
        String text = run.runForReport().text();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  retries      12 attempts in ")
                && l.contains(", no backoff (gaps mostly ")), text);
        assertTrue(text.contains("  failed by    io.socktrace.scenario.RetryLoop.attemptOnce(RetryLoop.java:"), text);
    }

    private static JsonNode retries(JsonNode report, AgentRun run) throws Exception {
        JsonNode endpoint = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        assertEquals(0, endpoint.get("opened").asLong(), "nothing listened: " + endpoint);
        JsonNode retries = endpoint.get("retries");
        assertEquals(endpoint.get("failedConnects").asLong(), retries.get("attempts").asLong(), endpoint.toString());
        return retries;
    }

    private static void assertRetriedByTheLoop(JsonNode report, JsonNode retries) {
        assertTrue(retries.get("retriedBy").asText()
                .startsWith("io.socktrace.scenario.RetryLoop.attemptOnce(RetryLoop.java:"), retries.toString());
        JsonNode stack = ReportJson.stack(report, retries.get("stackId").asLong());
        assertTrue(stack.get("frames").toString().contains("\"method\":\"main\""), stack.toString());
    }
}
