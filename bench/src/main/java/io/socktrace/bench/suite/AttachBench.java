package io.socktrace.bench.suite;

import io.socktrace.bench.probe.AttachTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 5: wall time of {@code java -jar socktrace-agent.jar attach PID} against a running JVM that uses sockets,
 * until the command returns (recording has started), then {@code detach PID}, repeated. The command line's own
 * JVM start-up is measured apart with {@code --version}. Not pinned, like start-up.
 */
final class AttachBench {

    private static final Budget BUDGET = Budget.atMost(1.5, "s", 2);
    private static final long TARGET_MAX_SECONDS = 600;

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    AttachBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        Samples version = new Samples();
        Samples attach = new Samples();
        Samples detach = new Samples();
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        if (launcher.jdk().feature() >= 21) {
            options.add("-XX:+EnableDynamicAgentLoading"); // JDK 21+ warns about a dynamically loaded agent otherwise
        }
        List<String> command = launcher.java(false, options, AttachTarget.class.getName(), TARGET_MAX_SECONDS);
        try (ChildProcess target = ChildProcess.start(command, launcher.stderrFile("attach-target"))) {
            target.awaitLine("ready"::equals, 60_000);
            String pid = Long.toString(target.pid());
            seconds("--version", version, "socktrace ", "--version"); // unmeasured: file cache
            for (int i = 1; i <= plan.attachRepeats(); i++) {
                progress.say("attach " + i + "/" + plan.attachRepeats());
                seconds("--version", version, "socktrace ", "--version");
                seconds("attach", attach, "socktrace: JVM " + pid + " recording since", "attach", pid);
                seconds("detach", detach, "socktrace: JVM " + pid + " detached", "detach", pid);
            }
        } catch (IOException e) {
            report.failed("5. attach", e);
            return;
        }
        version = withoutFirst(version);
        report.budgetRow("5. attach PID until recording (s); baseline: the command's own JVM, --version",
                Format.spread(version, 2), Format.spread(attach, 2),
                "+" + Format.number(attach.median() - version.median(), 2) + " s over --version", BUDGET,
                attach.median());
        report.budgetRow("5. detach PID (s), restoring the JDK classes", Format.spread(version, 2),
                Format.spread(detach, 2), "+" + Format.number(detach.median() - version.median(), 2) + " s", null,
                Double.NaN);
    }

    /** Runs the command line once and adds its wall time; checks its exit code and the start of its answer. */
    private void seconds(String what, Samples samples, String expected, String... args)
            throws IOException, InterruptedException {
        try (ChildProcess cli = ChildProcess.start(launcher.agentCli(args), launcher.stderrFile(what))) {
            int exit = cli.waitFor(60_000);
            long ended = System.nanoTime();
            if (exit != 0 || !cli.output().startsWith(expected)) {
                throw cli.failure(what + " failed (exit " + exit + ")");
            }
            samples.add((ended - cli.startedNanos()) / 1e9);
        }
    }

    private static Samples withoutFirst(Samples samples) {
        Samples rest = new Samples();
        for (int i = 1; i < samples.size(); i++) {
            rest.add(samples.get(i));
        }
        return rest;
    }
}
