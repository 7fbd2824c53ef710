package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import io.socktrace.agent.testing.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line against a running JVM on every JDK under test (the target and the command line on the same
 * JDK): attach, report (text and JSON), status, detach, attach again, and the error cases.
 */
class AttachIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    /** One run of {@code java -jar socktrace-agent.jar ARGS}. */
    record Cli(int exit, String out, String err) {
    }

    static Cli cli(Path javaHome, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar",
                AgentRun.agentJar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "command line did not finish");
        return new Cli(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void attachReportDetachAndAttachAgain(Path javaHome, @TempDir Path dir) throws Exception {
        Path stop = dir.resolve("stop");
        AgentRun target = AgentRun.on(javaHome, dir).withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading")
                .mainClass("io.socktrace.scenario.Churner", stop.toString()).start();
        try {
            awaitConnections(target, 3);
            String pid = Long.toString(target.process().pid());
            String endpoint = "127.0.0.1:" + target.printed("port");

            Cli notLoaded = cli(javaHome, "report", pid);
            assertEquals(1, notLoaded.exit());
            assertEquals("socktrace: socktrace is not loaded in JVM " + pid + " (attach it first)\n", notLoaded.err());
            assertEquals(1, cli(javaHome, "status", pid).exit());
            assertEquals(1, cli(javaHome, "detach", pid).exit());

            Cli bad = cli(javaHome, "attach", pid, "nosuchoption=1");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().startsWith("socktrace: unknown option 'nosuchoption'"), bad.err());

            Cli attach = cli(javaHome, "attach", pid, "cycles=3");
            assertEquals(0, attach.exit(), attach.err());
            assertTrue(attach.out().startsWith("socktrace: JVM " + pid + " recording since "), attach.out());
            assertTrue(attach.out().contains("cycles=3"), attach.out());

            Cli again = cli(javaHome, "attach", pid);
            assertEquals(1, again.exit());
            assertTrue(again.err().startsWith("socktrace: already attached to JVM " + pid), again.err());

            int before = awaitConnections(target, connections(target) + 5);
            JsonNode report = report(javaHome, pid);
            assertEquals("command line", report.get("trigger").asText());
            assertEquals(Long.parseLong(pid), report.get("process").get("pid").asLong());
            long opened = ReportJson.endpoint(report, endpoint, false).get("opened").asLong();
            assertTrue(opened >= 5 && opened < before + 5, "opened " + opened + ", made " + before);

            // the text form, once: the same command's default
            Cli text = cli(javaHome, "report", pid);
            assertEquals(0, text.exit(), text.err());
            assertTrue(text.out().startsWith("socktrace report (command line)  pid " + pid), text.out());
            assertTrue(new Report(text.out()).hasEndpoint(endpoint), "an endpoint block: " + text.out());

            Path json = dir.resolve("report.json");
            Cli jsonReport = cli(javaHome, "report", pid, "--format", "json", "--output", json.toString());
            assertEquals(0, jsonReport.exit(), jsonReport.err());
            assertEquals("socktrace: report written to " + json.toAbsolutePath() + "\n", jsonReport.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(json)));
            JsonNode parsed = ReportJson.parse(Files.readString(json, StandardCharsets.UTF_8));
            assertEquals("command line", parsed.get("trigger").asText());
            assertTrue(parsed.get("totals").get("opened").asLong() >= opened);
            Path html = dir.resolve("report.html");
            Cli htmlReport = cli(javaHome, "report", pid, "--format", "html", "--output", html.toString());
            assertEquals(0, htmlReport.exit(), htmlReport.err());
            assertEquals("socktrace: report written to " + html.toAbsolutePath() + "\n", htmlReport.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(html)));
            String page = Files.readString(html, StandardCharsets.UTF_8);
            assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("\"trigger\":\"command line\"")
                    && page.contains("\"endpoint\":\"" + endpoint + "\""), page);

            Cli status = cli(javaHome, "status", pid);
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().startsWith("loaded: yes\nrecording: yes\nsince: "), status.out());
            assertTrue(status.out().contains("\noptions: report=stderr,format=text,"), status.out());
            assertTrue(status.out().matches("(?s).*\ninstrumented classes: [1-9].*"), status.out());

            Cli detach = cli(javaHome, "detach", pid);
            assertEquals(0, detach.exit(), detach.err());
            assertEquals("socktrace: JVM " + pid + " detached; the JDK's classes are restored\n", detach.out());
            assertTrue(cli(javaHome, "status", pid).out().startsWith("loaded: yes\nrecording: no (detached at "));
            Cli afterDetach = cli(javaHome, "report", pid);
            assertEquals(1, afterDetach.exit());
            assertTrue(afterDetach.err().contains("is not recording in JVM " + pid), afterDetach.err());

            // connections made while detached are not recorded: a new attach starts from zero
            int detachedAt = connections(target);
            awaitConnections(target, detachedAt + 10);
            assertEquals(0, cli(javaHome, "attach", pid).exit());
            int reattachedAt = connections(target);
            awaitConnections(target, reattachedAt + 3);
            long openedAgain = ReportJson.endpoint(report(javaHome, pid), endpoint, false).get("opened").asLong();
            int now = connections(target);
            assertTrue(openedAgain >= 1 && openedAgain <= now - detachedAt - 10 + 1,
                    "opened " + openedAgain + " after re-attach; connections " + detachedAt + " .. " + now);
            assertTrue(target.process().isAlive(), "the application carried on");
        } finally {
            Files.writeString(stop, "");
            target.waitFor();
        }
        assertTrue(target.stdout().lines().noneMatch(l -> l.startsWith("Exception")), target.stdout());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void errorsAreOneLineAndNonZero(Path javaHome) throws Exception {
        Cli noSuchPid = cli(javaHome, "status", "999999999");
        assertEquals(1, noSuchPid.exit());
        assertEquals("socktrace: no process with pid 999999999\n", noSuchPid.err());

        // a live process that is not a JVM, with SIGQUIT at its default action, quit (JDK 17's attach sent it one);
        // python3 resets what it inherits: JDK 17 starts child processes with SIGQUIT blocked, which would hide a kill
        Process sleeper = new ProcessBuilder("python3", "-c", "import signal, time; "
                + "signal.signal(signal.SIGQUIT, signal.SIG_DFL); "
                + "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGQUIT]); "
                + "print('ready', flush=True); time.sleep(60)").redirectErrorStream(true).start();
        try {
            String pid = Long.toString(sleeper.pid());
            assertEquals("ready", sleeper.inputReader().readLine());
            List<String> masks = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(line -> line.matches("Sig(Blk|Ign|Cgt):\\s+\\p{XDigit}+")).toList();
            assertEquals(3, masks.size(), masks.toString());
            for (String mask : masks) {
                assertEquals(0, Long.parseUnsignedLong(mask.substring(7).strip(), 16) & (1 << 2),
                        "SIGQUIT is not at its default, the test would not see a kill: " + mask);
            }
            for (String command : List.of("attach", "report", "status", "detach")) {
                Cli notJvm = cli(javaHome, command, pid);
                assertEquals(1, notJvm.exit(), command + ": " + notJvm.err());
                assertTrue(notJvm.err().startsWith("socktrace: process " + pid
                        + " is not a JVM this user can attach to"), command + ": " + notJvm.err());
                assertEquals(1, notJvm.err().lines().count(), command + ": " + notJvm.err());
                Thread.sleep(300);
                assertTrue(sleeper.isAlive(), command + " killed the process it refused");
            }
        } finally {
            sleeper.destroy();
        }

        Cli notAPid = cli(javaHome, "attach", "eleven");
        assertEquals(1, notAPid.exit());
        assertEquals("socktrace: no JVM of this user runs 'eleven' (list shows what runs)\n", notAPid.err());
        Cli unknown = cli(javaHome, "frobnicate");
        assertEquals(1, unknown.exit());
        assertEquals("socktrace: unknown command 'frobnicate' (try --help)\n", unknown.err());

        Cli help = cli(javaHome, "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("socktrace "), help.out());
        assertTrue(help.out().contains("\nusage: java -jar socktrace-agent.jar COMMAND [ARGS]\n"), help.out());
        assertEquals(0, cli(javaHome).exit(), "no arguments: usage and version");
        Cli reportHelp = cli(javaHome, "report", "--help");
        assertEquals(0, reportHelp.exit());
        assertTrue(reportHelp.out().startsWith("usage: report JVM [--format text|json|html] [--output FILE]"));
        Cli version = cli(javaHome, "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().matches("socktrace \\S+\n"), version.out());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void jmxBeanHasTheCountersTheReportAndAReset(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.JmxProbe");
        run.runForJson();
        assertEquals("true", run.printed("recording"));
        assertEquals("3", run.printed("opened"));
        assertEquals("3", run.printed("accepted"));
        assertEquals("{\"version\":1", run.printed("jsonStart"));
        assertEquals("0", run.printed("openedAfterReset"));
    }

    /** {@code report PID --format json}: the report on standard output, checked against its schema. */
    static JsonNode report(Path javaHome, String pid) throws Exception {
        Cli json = cli(javaHome, "report", pid, "--format", "json");
        assertEquals(0, json.exit(), json.err());
        return ReportJson.parse(json.out());
    }

    private static int connections(AgentRun run) throws Exception {
        int last = 0;
        for (String line : run.stdout().split("\n")) {
            if (line.startsWith("connection=")) {
                last = Integer.parseInt(line.substring("connection=".length()).trim());
            }
        }
        return last;
    }

    static int awaitConnections(AgentRun run, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int made;
        while ((made = connections(run)) < count) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(), "target stalled:\n" + run.stderr());
            Thread.sleep(20);
        }
        return made;
    }
}
