package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM started with the real agent jar, its output captured to files. Every run has a deadline; a JVM
 * that outlives it is killed and the test fails with its output.
 */
public final class AgentRun {

    private final Path javaHome;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> jvmArgsBeforeAgent = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private final Path dir;
    private String agentOptions;
    private boolean json;
    private boolean withAgent = true;
    private Duration deadline = Duration.ofSeconds(60);
    private Process process;

    private AgentRun(Path javaHome, Path dir) {
        this.javaHome = javaHome;
        this.dir = dir;
    }

    /** A run on {@code javaHome}, keeping its files (report, stdout, stderr) in {@code dir}. */
    public static AgentRun on(Path javaHome, Path dir) {
        return new AgentRun(javaHome, dir);
    }

    public static Path agentJar() {
        Path jar = Path.of(System.getProperty("socktrace.agentJar", "../agent/target/socktrace-agent.jar"));
        assertTrue(Files.isRegularFile(jar), "agent jar not built: " + jar.toAbsolutePath());
        return jar.toAbsolutePath();
    }

    /**
     * Agent options; the report goes to {@link #reportFile()} unless these name another destination. With
     * {@link #json()}, these come after {@code report=<dir>/report.json,format=json} and must not name a report.
     */
    public AgentRun options(String options) {
        this.agentOptions = options;
        return this;
    }

    /** Has the agent write its report as JSON, to {@link #reportFile()} ({@code report.json}). */
    public AgentRun json() {
        if (process != null) {
            throw new IllegalStateException("json() after start()");
        }
        this.json = true;
        return this;
    }

    public AgentRun withoutAgent() {
        this.withAgent = false;
        return this;
    }

    public AgentRun jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** A JVM argument placed before the agent's, e.g. another {@code -javaagent} whose premain must run first. */
    public AgentRun jvmArgBeforeAgent(String arg) {
        jvmArgsBeforeAgent.add(arg);
        return this;
    }

    /**
     * This module's test classes and the jars the build copied into each of {@code folders} under the build
     * directory (the system property {@code socktrace.test.netty}): one library line alone, not the test class path.
     */
    public static String testClassPath(String... folders) throws IOException {
        Path build = Path.of(System.getProperty("socktrace.test.netty", "target"));
        List<String> entries = new ArrayList<>();
        for (String folder : folders) {
            Path jars = build.resolve(folder);
            assertTrue(Files.isDirectory(jars), "jars not copied by the build: " + jars.toAbsolutePath());
            try (java.util.stream.Stream<Path> files = Files.list(jars)) {
                files.map(Path::toString).forEach(entries::add);
            }
        }
        entries.sort(null);
        entries.add(0, build.resolve("test-classes").toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Runs {@code mainClass} from this module's test classes. */
    public AgentRun mainClass(String mainClass, String... args) {
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return this;
    }

    /** Runs whatever follows the JVM options (e.g. {@code -jar app.jar --seconds 5}). */
    public AgentRun command(String... args) {
        command.addAll(List.of(args));
        return this;
    }

    public AgentRun deadline(Duration deadline) {
        this.deadline = deadline;
        return this;
    }

    /** Where the agent writes its report by default: {@code report.txt}, or {@code report.json} with {@link #json()}. */
    public Path reportFile() {
        return dir.resolve(json ? "report.json" : "report.txt");
    }

    public Path stdoutFile() {
        return dir.resolve("stdout.txt");
    }

    public Path stderrFile() {
        return dir.resolve("stderr.txt");
    }

    /** Starts the JVM without waiting. */
    public AgentRun start() throws IOException {
        List<String> full = new ArrayList<>();
        full.add(javaHome.resolve("bin/java").toString());
        full.addAll(jvmArgsBeforeAgent);
        if (withAgent) {
            String options;
            if (json) {
                options = "report=" + reportFile() + ",format=json" + (agentOptions == null || agentOptions.isEmpty()
                        ? "" : "," + agentOptions);
            } else {
                options = agentOptions == null ? "report=" + reportFile() : agentOptions;
            }
            full.add("-javaagent:" + agentJar() + (options.isEmpty() ? "" : "=" + options));
        }
        full.addAll(jvmArgs);
        full.addAll(command);
        process = new ProcessBuilder(full).directory(dir.toFile())
                .redirectOutput(stdoutFile().toFile()).redirectError(stderrFile().toFile()).start();
        return this;
    }

    public Process process() {
        return process;
    }

    /** Starts (if needed) and waits for the JVM to exit; returns its exit code. */
    public int waitFor() throws IOException, InterruptedException {
        if (process == null) {
            start();
        }
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("JVM did not exit within " + deadline + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Runs to completion, fails unless it exited 0, and returns the text report it wrote. */
    public Report runForReport() throws IOException, InterruptedException {
        runToSuccess();
        return report();
    }

    /** The text report last written to {@link #reportFile()}. */
    public Report report() throws IOException {
        if (json) {
            throw new IllegalStateException("a json() run: read jsonReport()");
        }
        return new Report(reportText());
    }

    /**
     * Runs to completion with the report as JSON ({@link #json()}, unless started already), fails unless it exited
     * 0, and returns the report it wrote, checked against its schema.
     */
    public JsonNode runForJson() throws IOException, InterruptedException {
        if (process == null) {
            json();
        }
        runToSuccess();
        return jsonReport();
    }

    /** The JSON report last written to {@link #reportFile()}, checked against its schema. */
    public JsonNode jsonReport() throws IOException {
        if (!json) {
            throw new IllegalStateException("not a json() run");
        }
        return ReportJson.parse(reportText());
    }

    private void runToSuccess() throws IOException, InterruptedException {
        int exit = waitFor();
        if (exit != 0) {
            fail("JVM exited " + exit + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
    }

    private String reportText() throws IOException {
        if (!Files.exists(reportFile())) {
            fail("no report written\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return Files.readString(reportFile(), StandardCharsets.UTF_8);
    }

    public String stdout() throws IOException {
        return Files.exists(stdoutFile()) ? Files.readString(stdoutFile(), StandardCharsets.UTF_8) : "";
    }

    public String stderr() throws IOException {
        return Files.exists(stderrFile()) ? Files.readString(stderrFile(), StandardCharsets.UTF_8) : "";
    }

    /** The value of a {@code key=value} line the scenario printed on standard output. */
    public String printed(String key) throws IOException {
        for (String line : stdout().split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        fail("scenario printed no " + key + "=\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        return null;
    }

    /** Every value of the {@code key=value} lines the scenario printed, in order. */
    public List<String> printedAll(String key) throws IOException {
        List<String> values = new ArrayList<>();
        for (String line : stdout().split("\n")) {
            if (line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1).trim());
            }
        }
        return values;
    }
}
