package io.socktrace.bench.suite;

import io.socktrace.bench.profile.ProfileSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the agent's time goes in a workload: one more client run with the agent, under JFR execution and allocation
 * sampling, summarised by {@link ProfileSummary} on the same JDK (the frames in {@code io.socktrace} code and the
 * share of the client threads' samples they take).
 */
final class ProfileRun {

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    ProfileRun(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(ThroughputBench.Case c, JdkReport report) throws InterruptedException {
        Path jfr = launcher.workDir().resolve("profile-" + c.id() + ".jfr");
        long measureMillis = 5000; // a client thread runs Java code only part of the time: enough samples
        try (EchoServerProcess server = EchoServerProcess.start(launcher, true, 16)) {
            progress.say("profile " + c.id() + " with socktrace under JFR sampling");
            List<String> command = launcher.java(true,
                    ThroughputBench.jvmOptions(launcher.profileOptions(jfr)), "io.socktrace.bench.wire.ClientMain",
                    c.workload().name(), c.threads(), plan.warmupMillis(), measureMillis, server.echoPort(),
                    server.silentPort(), plan.maxWarmupMillis());
            try (ChildProcess client = ChildProcess.start(command, launcher.stderrFile("profile"))) {
                if (client.waitFor(plan.maxWarmupMillis() + measureMillis + 120_000) != 0) {
                    throw client.failure("profiled client failed");
                }
            }
            List<String> summarise = launcher.java(false, List.of(), ProfileSummary.class.getName(), jfr, "client-");
            try (ChildProcess summary = ChildProcess.start(summarise, launcher.stderrFile("profile-summary"))) {
                if (summary.waitFor(300_000) != 0) {
                    throw summary.failure("profile summary failed");
                }
                report.sections.add("profile of " + c.label() + " with socktrace (JFR sampling, "
                        + measureMillis / 1000.0 + " s measured):\n" + summary.output().stripTrailing().indent(2));
            }
        } catch (IOException e) {
            report.failed("profile of " + c.label(), e);
        } finally {
            try {
                Files.deleteIfExists(jfr);
            } catch (IOException ignored) {
                // the work directory is removed at the end anyway
            }
        }
    }
}
