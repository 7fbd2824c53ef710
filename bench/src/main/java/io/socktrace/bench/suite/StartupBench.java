package io.socktrace.bench.suite;

import io.socktrace.bench.probe.StartupProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 4: wall time from launching {@code java} to the first line {@code main} prints, with and without
 * {@code -javaagent}, alternated; one unmeasured run of each first (file cache). Not pinned: start-up is what a
 * user sees on this machine, both cores included. Also, for information, the time to the end of the probe's first
 * file stream and loopback connection, which with the agent may wait for the instrumentation being built.
 */
final class StartupBench {

    private static final Budget BUDGET = Budget.atMost(300, "ms", 0);

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    StartupBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        Samples baseline = new Samples();
        Samples agent = new Samples();
        Samples baselineSocket = new Samples();
        Samples agentSocket = new Samples();
        try {
            for (int round = 0; round <= plan.startupPairs(); round++) {
                progress.say("start-up round " + round + "/" + plan.startupPairs() + (round == 0 ? " (unmeasured)" : ""));
                double[] without = millisToMain(Variant.BASELINE);
                double[] with = millisToMain(Variant.SOCKTRACE);
                if (round > 0) {
                    baseline.add(without[0]);
                    agent.add(with[0]);
                    baselineSocket.add(without[1]);
                    agentSocket.add(with[1]);
                }
            }
        } catch (IOException e) {
            report.failed("4. JVM start to main", e);
            return;
        }
        double difference = agent.median() - baseline.median();
        report.budgetRow("4. JVM start to main (ms)", Format.spread(baseline, 0), Format.spread(agent, 0),
                "+" + Format.number(difference, 0) + " ms", BUDGET, difference);
        report.budgetRow("4. JVM start to main's first file stream and connection done (ms)",
                Format.spread(baselineSocket, 0), Format.spread(agentSocket, 0),
                "+" + Format.number(agentSocket.median() - baselineSocket.median(), 0) + " ms", null, Double.NaN);
        try {
            report.sections.add("4. start-up with socktrace, from one more run of each with -Xlog:class+load:\n"
                    + timeline().stripTrailing().indent(2));
        } catch (IOException e) {
            report.failed("4. start-up class loading timeline", e);
        }
    }

    /** One run without and one with the agent, logging class loading; not timed (the log slows start-up). */
    private String timeline() throws IOException, InterruptedException {
        Path without = launcher.workDir().resolve("class-load-baseline.log");
        Path with = launcher.workDir().resolve("class-load-socktrace.log");
        logClassLoading(Variant.BASELINE, without);
        logClassLoading(Variant.SOCKTRACE, with);
        String main = StartupProbe.class.getName();
        return ClassLoadTimeline.summary(with, main, ClassLoadTimeline.classesBeforeMain(without, main));
    }

    private void logClassLoading(Variant variant, Path log) throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(variant);
        List<String> options = new ArrayList<>(files.options());
        options.add(ClassLoadTimeline.option(log));
        List<String> command = launcher.java(false, options, StartupProbe.class.getName());
        try (ChildProcess probe = ChildProcess.start(command, launcher.stderrFile("startup-log"))) {
            if (probe.waitFor(60_000) != 0) {
                throw probe.failure("start-up probe exited with an error");
            }
        }
        files.delete();
    }

    /** Milliseconds from launch to {@code main}'s first line, and to its second. */
    private double[] millisToMain(Variant variant) throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(variant);
        List<String> command = launcher.java(false, files.options(), StartupProbe.class.getName());
        try (ChildProcess probe = ChildProcess.start(command, launcher.stderrFile("startup"))) {
            ChildProcess.Line line = probe.awaitLine(StartupProbe.LINE::equals, 60_000);
            ChildProcess.Line socket = probe.awaitLine(StartupProbe.SOCKET_LINE::equals, 60_000);
            if (probe.waitFor(60_000) != 0) {
                throw probe.failure("start-up probe exited with an error");
            }
            if (variant == Variant.SOCKTRACE) {
                Launcher.agentErrors(files.report());
            }
            files.delete();
            return new double[] {(line.nanos() - probe.startedNanos()) / 1e6,
                    (socket.nanos() - probe.startedNanos()) / 1e6};
        }
    }
}
