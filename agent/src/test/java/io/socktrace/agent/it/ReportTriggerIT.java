package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code trigger=reconnects:N/min}: one report as soon as a churning endpoint passes the rate, written beside the
 * exit report under a name of its own, not again within the interval, none for a quiet endpoint; a bad value is
 * one line and the application runs.
 */
class ReportTriggerIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void firesOnceForTheChurningEndpointAndNeverForTheQuietOne(Path javaHome, @TempDir Path dir) throws Exception {
        // the churning server's accepted side is an endpoint of its own, and churns as much: two reports
        Path second = dir.resolve("report.trigger-2.json");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trigger=reconnects:10/min")
                .mainClass("io.socktrace.scenario.ChurnAndQuiet", "35", "30", second.toString());
        JsonNode exit = run.runForJson();
        String churn = "127.0.0.1:" + run.printed("churnPort");
        String quiet = "127.0.0.1:" + run.printed("quietPort");

        // preconditions: the churning endpoint passed the threshold three times over, the quiet one never
        assertEquals("35", run.printed("churned"));
        assertTrue(ReportJson.endpoint(exit, churn, false).get("reconnects").asLong() >= 30, exit.toPrettyString());
        assertTrue(ReportJson.endpoint(exit, churn, true).get("reconnects").asLong() >= 30, exit.toPrettyString());
        assertEquals(0, ReportJson.endpoint(exit, quiet, false).get("reconnects").asLong());
        assertEquals(0, ReportJson.endpoint(exit, quiet, true).get("reconnects").asLong());

        assertEquals("true", run.printed("triggeredReportSeen"), run.stderr());
        Set<String> triggers = new HashSet<>();
        for (String name : List.of("report.trigger-1.json", "report.trigger-2.json")) {
            JsonNode report = ReportJson.parse(Files.readString(dir.resolve(name)));
            triggers.add(report.get("trigger").asText());
            assertTrue(ReportJson.endpoint(report, churn, false).get("reconnects").asLong() >= 10, report.toString());
        }
        assertEquals(Set.of("trigger reconnects:10/min: 10 at " + churn,
                "trigger reconnects:10/min: 10 at " + churn + " (accepted)"), triggers);
        List<String> written;
        try (var files = Files.list(dir)) {
            written = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("report"))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(List.of("report.json", "report.trigger-1.json", "report.trigger-2.json"), written,
                "once per endpoint within the interval, none for the quiet one");
        assertEquals("exit", exit.get("trigger").asText(), "the exit report kept its own file");
        JsonNode counts = exit.get("reportTrigger");
        assertEquals("reconnects:10/min", counts.get("rule").asText());
        assertEquals(2, counts.get("fired").asLong(), counts.toString());
        assertEquals(0, counts.get("suppressed").asLong(), counts.toString());
        assertEquals(60_000_000L, counts.get("intervalMicros").asLong());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void failedConnectsFireByTheSameMechanism(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trigger=failedConnects:5/min")
                .mainClass("io.socktrace.scenario.RetryLoop", "steady", "12", "100");
        JsonNode exit = run.runForJson();
        assertEquals("12", run.printed("refused"));
        Path triggered = dir.resolve("report.trigger-1.json");
        assertTrue(Files.exists(triggered), "a report at the 5th failed connect: " + run.stderr());
        JsonNode report = ReportJson.parse(Files.readString(triggered));
        String endpoint = "127.0.0.1:" + run.printed("port");
        assertEquals("trigger failedConnects:5/min: 5 at " + endpoint, report.get("trigger").asText());
        assertTrue(Files.notExists(dir.resolve("report.trigger-2.json")), "once within the interval");
        assertEquals(1, exit.get("reportTrigger").get("fired").asLong());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aBadTriggerIsOneLineAndTheApplicationRuns(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("trigger=reconnects:ten/min")
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, run.waitFor(), run.stderr());
        List<String> ours = run.stderr().lines().filter(l -> l.startsWith("socktrace")).collect(Collectors.toList());
        assertEquals(1, ours.size(), run.stderr());
        assertTrue(ours.get(0).contains("bad value 'reconnects:ten/min' for option 'trigger' (accepted: off|"),
                ours.get(0));
        assertTrue(ours.get(0).endsWith("socktrace is not running"), ours.get(0));
        assertEquals(3, run.stdout().lines().filter(l -> l.equals("answer=ok")).count(), "application ran normally");
    }
}
