package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad options: one clear line, and the application still runs (without the agent). */
class AgentOptionsIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void unknownOptionIsOneLineAndTheJvmStillRuns(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("nosuchoption=1").command("-version");
        assertEquals(0, run.waitFor());
        List<String> ours = agentLines(run);
        assertEquals(1, ours.size(), run.stderr());
        assertTrue(ours.get(0).contains("unknown option 'nosuchoption'"), ours.get(0));
        assertTrue(ours.get(0).contains("accepted options: report, format, trace, jfr, libraries, signal,"), ours.get(0));
        assertTrue(run.stderr().contains("version \""), "the JVM ran: " + run.stderr());
    }

    @ParameterizedTest
    @CsvSource({
        "cycles=abc, bad value 'abc' for option 'cycles' (accepted: 1..1000)",
        "signal=TERM, bad value 'TERM' for option 'signal' (accepted: USR1|USR2|off)",
        "reconnectWindow=soon, bad value 'soon' for option 'reconnectWindow'",
        "report, malformed option 'report' (expected key=value"
    })
    void malformedValueNamesTheOptionAndWhatItAccepts(String options, String expected, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(Path.of(System.getProperty("java.home")), dir).options(options)
                .mainClass("io.socktrace.scenario.PlainClose");
        assertEquals(0, run.waitFor(), run.stderr());
        List<String> ours = agentLines(run);
        assertEquals(1, ours.size(), run.stderr());
        assertTrue(ours.get(0).contains(expected), ours.get(0));
        assertTrue(ours.get(0).endsWith("socktrace is not running"), ours.get(0));
        assertEquals(3, run.stdout().lines().filter(l -> l.equals("answer=ok")).count(), "application ran normally");
        assertTrue(Files.notExists(run.reportFile()), "no agent, no report");
    }

    private static List<String> agentLines(AgentRun run) throws Exception {
        return run.stderr().lines().filter(l -> l.startsWith("socktrace")).collect(Collectors.toList());
    }
}
