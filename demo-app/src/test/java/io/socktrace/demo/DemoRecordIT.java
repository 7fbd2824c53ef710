package io.socktrace.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code record}, the one command for a running JVM, against the demo started without the agent: by pid and by
 * main class, on every JDK under test (the demo and the command line on the same JDK); and the targets it refuses.
 */
class DemoRecordIT {

    private static final String POOL = "io.socktrace.demo.memcache.MemcachePool.";
    private static final String MAIN = "io.socktrace.demo.App";

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(Path javaHome, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar",
                AgentRun.agentJar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "command line did not finish");
        return new Cli(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** The command line run on a pseudo-terminal, by script(1): what the terminal showed, both streams. */
    static Cli onTerminal(Path javaHome, String... args) throws Exception {
        StringBuilder command = new StringBuilder(javaHome.resolve("bin/java") + " -jar " + AgentRun.agentJar());
        for (String arg : args) {
            command.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        Process process = new ProcessBuilder("script", "--quiet", "--return", "--command", command.toString(),
                "/dev/null").redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "command line did not finish");
        return new Cli(process.exitValue(), new String(out, StandardCharsets.UTF_8), "");
    }

    private static AgentRun demo(Path javaHome, Path dir, int seconds) throws Exception {
        return AgentRun.on(javaHome, dir).withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading")
                .command("-cp", DemoUnderAgentIT.demoJar().toString(), MAIN, "--seconds", Integer.toString(seconds))
                .start();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void recordsTheDemoByPidThenByMainClass(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun demo = demo(javaHome, dir, 30);
        try {
            DemoUnderAgentIT.awaitOutput(demo, "connected to", java.time.Duration.ofSeconds(20));
            String pid = Long.toString(demo.process().pid());
            String endpoint = serverEndpoint(demo.stdout());

            Path file = dir.resolve("by-pid.json");
            Cli byPid = cli(javaHome, "record", pid, "--duration", "6s", "--format", "json", "--output",
                    file.toString(), "cycles=4");
            assertEquals(0, byPid.exit(), byPid.err());
            assertEquals("socktrace: report written to " + file.toAbsolutePath() + "\n", byPid.out());
            assertEquals("", byPid.err(), "no progress line off a terminal");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            JsonNode report = ReportJson.parse(Files.readString(file));
            assertEquals(Long.parseLong(pid), report.get("process").get("pid").asLong());
            assertEquals(4, report.get("limits").get("cycles").asInt(), "the options reached the target");
            JsonNode server = ReportJson.endpoint(report, endpoint, false);
            // the demo's failover closes after each late reply (one set in six, 1.5 s late, every 200 ms or so)
            assertTrue(server.get("reconnects").asLong() >= 1, server.toPrettyString());
            assertTrue(server.get("closedBy").get("frame").asText().startsWith(POOL + "serverFailure("),
                    server.toPrettyString());
            assertTrue(cli(javaHome, "status", pid).out().startsWith("loaded: yes\nrecording: no (detached at "),
                    "record detaches what it attached");

            // on a terminal (script(1) gives the command line one): the progress line, counting down, then cleared
            Path second = dir.resolve("by-main-class.json");
            Cli onTerminal = onTerminal(javaHome, "record", "App", "--duration", "2s", "--format", "json",
                    "--output", second.toString());
            assertEquals(0, onTerminal.exit(), onTerminal.out());
            String progress = "\rsocktrace: recording JVM " + pid + ", %d s left (Ctrl-C ends it now) ";
            assertTrue(onTerminal.out().startsWith(String.format(progress, 2)), onTerminal.out());
            assertTrue(onTerminal.out().contains(String.format(progress, 1)), onTerminal.out());
            assertTrue(onTerminal.out().endsWith("\r" + " ".repeat(72) + "\r"
                    + "socktrace: report written to " + second.toAbsolutePath() + "\r\n"), onTerminal.out());
            assertEquals(Long.parseLong(pid),
                    ReportJson.parse(Files.readString(second)).get("process").get("pid").asLong());
            assertTrue(demo.process().isAlive(), "the demo carries on");
        } finally {
            demo.process().destroy();
            demo.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Ctrl-C (SIGINT) on the command line ends the recording early: the report is written and the agent detached. */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void interruptedRecordStillWritesTheReportAndDetaches(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun demo = demo(javaHome, dir, 30);
        try {
            DemoUnderAgentIT.awaitOutput(demo, "connected to", java.time.Duration.ofSeconds(20));
            String pid = Long.toString(demo.process().pid());
            Path file = dir.resolve("interrupted.json");
            Process record = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-jar",
                    AgentRun.agentJar().toString(), "record", pid, "--duration", "10m", "--format", "json", "--output",
                    file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("record.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!cli(javaHome, "status", pid).out().contains("recording: yes")) { // attached, recording
                assertTrue(System.nanoTime() < deadline && record.isAlive(), Files.readString(dir.resolve("record.out")));
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(record.pid())).start().waitFor());
            assertTrue(record.waitFor(60, TimeUnit.SECONDS), "record did not end on SIGINT");
            String printed = Files.readString(dir.resolve("record.out"));
            assertEquals("socktrace: report written to " + file.toAbsolutePath() + "\n", printed);
            assertEquals(Long.parseLong(pid), ReportJson.parse(Files.readString(file)).get("process").get("pid").asLong());
            assertTrue(cli(javaHome, "status", pid).out().startsWith("loaded: yes\nrecording: no (detached at "));
        } finally {
            demo.process().destroy();
            demo.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A target that exits during the recording (a batch job) leaves its exit report in the output file. */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void aTargetThatExitsDuringTheRecordingLeavesItsExitReport(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun demo = demo(javaHome, dir, 8);
        try {
            DemoUnderAgentIT.awaitOutput(demo, "connected to", java.time.Duration.ofSeconds(20));
            String pid = Long.toString(demo.process().pid());
            String endpoint = serverEndpoint(demo.stdout());
            Path file = dir.resolve("exited.json");
            long started = System.nanoTime();
            Cli record = cli(javaHome, "record", pid, "--duration", "80s", "--format", "json", "--output",
                    file.toString());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60), "record waited out its duration");
            assertEquals(0, record.exit(), record.err());
            assertEquals("socktrace: JVM " + pid + " exited during the recording; it wrote its exit report to "
                    + file.toAbsolutePath() + "\n", record.out());
            JsonNode report = ReportJson.parse(Files.readString(file));
            assertEquals("exit", report.get("trigger").asText());
            assertEquals(Long.parseLong(pid), report.get("process").get("pid").asLong());
            assertTrue(ReportJson.endpoint(report, endpoint, false).get("reconnects").asLong() >= 1,
                    report.toPrettyString());
        } finally {
            demo.process().destroy();
            demo.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aTargetThatIsNotThereOrIsAmbiguousIsOneLine(Path javaHome, @TempDir Path dir) throws Exception {
        Cli none = cli(javaHome, "record", "io.socktrace.demo.NoSuchMain", "--duration", "1s");
        assertEquals(1, none.exit());
        assertEquals("socktrace: no JVM of this user runs 'io.socktrace.demo.NoSuchMain' (list shows what runs)\n",
                none.err());

        AgentRun first = demo(javaHome, Files.createDirectory(dir.resolve("a")), 20);
        AgentRun second = demo(javaHome, Files.createDirectory(dir.resolve("b")), 20);
        try {
            DemoUnderAgentIT.awaitOutput(first, "connected to", java.time.Duration.ofSeconds(20));
            DemoUnderAgentIT.awaitOutput(second, "connected to", java.time.Duration.ofSeconds(20));
            Cli ambiguous = cli(javaHome, "record", MAIN, "--duration", "1s");
            assertEquals(1, ambiguous.exit());
            assertTrue(ambiguous.err().startsWith("socktrace: '" + MAIN + "' is ambiguous: "), ambiguous.err());
            assertTrue(ambiguous.err().contains(Long.toString(first.process().pid()))
                    && ambiguous.err().contains(Long.toString(second.process().pid())), ambiguous.err());
            assertEquals(1, ambiguous.err().lines().count(), ambiguous.err());
            Cli badDuration = cli(javaHome, "record", Long.toString(first.process().pid()), "--duration", "soon");
            assertEquals(1, badDuration.exit());
            assertTrue(badDuration.err().startsWith("socktrace: bad value 'soon' for --duration"), badDuration.err());
        } finally {
            for (AgentRun run : List.of(first, second)) {
                run.process().destroy();
                run.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String serverEndpoint(String stdout) {
        Matcher m = Pattern.compile("connected to (127\\.0\\.0\\.1:\\d+)").matcher(stdout);
        assertTrue(m.find(), stdout);
        return m.group(1);
    }
}
