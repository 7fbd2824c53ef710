package io.socktrace.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 8: the JMH micro-benchmarks of the recorder's hot path ({@code io.socktrace.bench.micro}), in one
 * forked JVM per benchmark on this JDK, pinned like the throughput clients; the result table goes into the report
 * as JMH prints it.
 */
final class MicroBench {

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    MicroBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        Path results = launcher.workDir().resolve("jmh-" + launcher.jdk().feature() + ".txt");
        List<String> args = new ArrayList<>(plan.jmhOptions());
        // -prof gc: bytes allocated per call (gc.alloc.rate.norm), the other cost of each event
        args.addAll(List.of("-prof", "gc", "-rf", "text", "-rff", results.toString(), "io.socktrace.bench.micro"));
        List<String> command = launcher.jmh(args);
        progress.say("micro-benchmarks (JMH " + String.join(" ", plan.jmhOptions()) + ")");
        try (ChildProcess jmh = ChildProcess.start(command, launcher.stderrFile("jmh"))) {
            if (jmh.waitFor(900_000) != 0 || !Files.exists(results)) {
                throw jmh.failure("JMH failed");
            }
            report.sections.add("8. micro-benchmarks of the recorder (JMH, average time per call in ns, and bytes"
                    + " allocated per call; " + String.join(" ", plan.jmhOptions()) + " -prof gc):\n"
                    + withoutGcDetail(Files.readString(results, StandardCharsets.UTF_8)).stripTrailing().indent(2));
        } catch (IOException e) {
            report.failed("8. micro-benchmarks", e);
        }
    }

    /** Keeps the time and the bytes per call of each benchmark; drops GC counts, times and rates. */
    private static String withoutGcDetail(String table) {
        StringBuilder kept = new StringBuilder();
        for (String line : table.split("\n")) {
            if (!line.contains(":gc.") || line.contains(":gc.alloc.rate.norm")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
