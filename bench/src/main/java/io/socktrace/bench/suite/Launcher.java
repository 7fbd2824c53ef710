package io.socktrace.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the command lines of the JVMs the suite starts on one JDK: the bench jar's classes, optionally pinned to
 * one CPU with {@code taskset}, with the agent (its report going to a file in the work directory, so nothing is
 * printed) or with JFR's socket events.
 */
final class Launcher {

    /** The CPU the throughput client and server share; the driver itself stays off it. */
    static final String PINNED_CPU = "1";

    private static final Pattern INTERNAL_ERRORS = Pattern.compile("agent: (\\d+) internal errors");

    private final Jdk jdk;
    private final Path benchJar;
    private final Path agentJar;
    private final Path workDir;
    private final String taskset;
    private final AtomicInteger runs = new AtomicInteger();

    Launcher(Jdk jdk, Path benchJar, Path agentJar, Path workDir) {
        this.jdk = jdk;
        this.benchJar = benchJar;
        this.agentJar = agentJar;
        this.workDir = workDir;
        this.taskset = Runtime.getRuntime().availableProcessors() >= 2 ? onPath("taskset") : null;
    }

    Jdk jdk() {
        return jdk;
    }

    Path agentJar() {
        return agentJar;
    }

    Path benchJar() {
        return benchJar;
    }

    Path workDir() {
        return workDir;
    }

    boolean pins() {
        return taskset != null;
    }

    /** {@code [taskset -c 1] java OPTIONS -cp bench.jar MAIN ARGS}. */
    List<String> java(boolean pinned, List<String> jvmOptions, String mainClass, Object... args) {
        List<String> command = new ArrayList<>();
        if (pinned && taskset != null) {
            command.addAll(List.of(taskset, "-c", PINNED_CPU));
        }
        command.add(jdk.java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", benchJar.toString(), mainClass));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return command;
    }

    /**
     * {@code [taskset -c 1] java -cp bench.jar:socktrace-agent.jar org.openjdk.jmh.Main ARGS}: the micro-benchmarks
     * call the recorder in the agent jar under test (JMH's forks inherit the class path and the pinning).
     */
    List<String> jmh(List<String> args) {
        List<String> command = new ArrayList<>();
        if (taskset != null) {
            command.addAll(List.of(taskset, "-c", PINNED_CPU));
        }
        command.addAll(List.of(jdk.java().toString(), "-cp", benchJar + java.io.File.pathSeparator + agentJar,
                "org.openjdk.jmh.Main"));
        command.addAll(args);
        return command;
    }

    /** {@code java -jar socktrace-agent.jar ARGS}, the command line a user runs. */
    List<String> agentCli(String... args) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-jar", agentJar.toString()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** JVM options for a client run of {@code variant}; the files they name are new for each run. */
    RunFiles variantOptions(Variant variant) throws IOException {
        int run = runs.incrementAndGet();
        switch (variant) {
            case SOCKTRACE:
            case SOCKTRACE_ALL_STACKS: {
                Path report = workDir.resolve("report-" + run + ".txt");
                String options = "=report=" + report
                        + (variant == Variant.SOCKTRACE_ALL_STACKS ? ",stackRate=all" : "");
                return new RunFiles(List.of("-javaagent:" + agentJar + options), report, null);
            }
            case JFR: {
                Path recording = workDir.resolve("socket-io-" + run + ".jfr");
                return new RunFiles(List.of("-XX:StartFlightRecording=settings=" + resource("socket-io.jfc")
                        + ",filename=" + recording), null, recording);
            }
            case JFR_AT_LAUNCH:
                return new RunFiles(List.of("-XX:StartFlightRecording"), null, null);
            default:
                return new RunFiles(List.of(), null, null);
        }
    }

    /** The options of a profiling run: the agent, and JFR execution and allocation samples into {@code jfr}. */
    List<String> profileOptions(Path jfr) throws IOException {
        return List.of("-javaagent:" + agentJar + "=report=" + workDir.resolve("report-profile.txt"),
                "-XX:StartFlightRecording=settings=" + resource("agent-profile.jfc") + ",filename=" + jfr);
    }

    Path stderrFile(String name) {
        return workDir.resolve(name + "-" + runs.incrementAndGet() + ".err");
    }

    /** A settings file from the jar, copied to the work directory (the JVM needs a path). */
    Path resource(String name) throws IOException {
        Path file = workDir.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = Launcher.class.getResourceAsStream("/io/socktrace/bench/" + name)) {
                if (in == null) {
                    throw new IOException("missing resource " + name);
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return file;
    }

    /**
     * Checks that the agent really recorded in a run (its report exists) and returns its internal error count,
     * so that a "with socktrace" number is never one of a JVM where the agent did not start.
     */
    static long agentErrors(Path report) throws IOException {
        if (!Files.exists(report)) {
            throw new IOException("the agent wrote no report to " + report + ": it did not run");
        }
        String text = Files.readString(report, StandardCharsets.UTF_8);
        Matcher errors = INTERNAL_ERRORS.matcher(text);
        if (!text.startsWith("socktrace report") || !errors.find()) {
            throw new IOException("unexpected report in " + report);
        }
        return Long.parseLong(errors.group(1));
    }

    /** Checks that the agent's report has connections of {@code transport} (its {@code via} column). */
    static void requireTransport(Path report, String transport) throws IOException {
        String text = Files.readString(report, StandardCharsets.UTF_8);
        if (!text.contains(" via " + transport + "\n")) {
            throw new IOException("the agent recorded no " + transport + " connection in " + report);
        }
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** A run's JVM options and the files they make (to check, then delete). */
    record RunFiles(List<String> options, Path report, Path recording) {

        void delete() throws IOException {
            if (report != null) {
                Files.deleteIfExists(report);
            }
            if (recording != null) {
                Files.deleteIfExists(recording);
            }
        }
    }
}
