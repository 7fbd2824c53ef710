package io.socktrace.bench.suite;

import io.socktrace.bench.wire.Workload;
import java.util.ArrayList;
import java.util.List;

/** Every section of the suite on one JDK, in a fixed order, into one {@link JdkReport}. */
final class JdkSuite {

    private static final int MAX_PROFILES = 4;

    private final Launcher launcher;
    private final SuiteMain.Options options;
    private final Progress progress;

    JdkSuite(Launcher launcher, SuiteMain.Options options, Progress progress) {
        this.launcher = launcher;
        this.options = options;
        this.progress = progress;
    }

    JdkReport run() throws InterruptedException {
        JdkReport report = new JdkReport(launcher.jdk());
        Plan plan = options.plan();
        report.sections.add("load average before: " + Machine.loadAverage());
        List<ThroughputBench.Case> cases = new ArrayList<>();
        for (ThroughputBench.Case c : ThroughputBench.CASES) {
            if (options.runs("throughput") || options.runs(c.id())) {
                cases.add(c);
            }
        }
        List<ThroughputBench.Case> missed = new ThroughputBench(launcher, plan, progress).run(cases, report);
        if (options.runs("startup")) {
            new StartupBench(launcher, plan, progress).run(report);
        }
        if (options.runs("startup") || options.runs(StartupProcessBench.ID)) {
            new StartupProcessBench(launcher, plan, progress).run(report);
        }
        if (options.runs("startup") || options.runs(StartupAppCdsBench.ID)) {
            new StartupAppCdsBench(launcher, plan, progress).run(report);
        }
        if (options.runs("attach")) {
            new AttachBench(launcher, plan, progress).run(report);
        }
        if (options.runs("heap")) {
            new HeapBench(launcher, plan, progress).run(report);
        }
        boolean endpoints = options.runs("heap") || options.runs(HeldSocketsBench.ENDPOINTS);
        boolean open = options.runs("heap") || options.runs(HeldSocketsBench.OPEN);
        if (endpoints || open) {
            new HeldSocketsBench(launcher, plan, progress).run(report, endpoints, open);
        }
        if (options.runs(JmxScrapeBench.ID)) {
            new JmxScrapeBench(launcher, plan, progress).run(report);
        }
        if (options.runs("html") || options.runs(HtmlBench.ID)) {
            new HtmlBench(launcher, plan, progress).run(report);
        }
        if (options.runs("micro")) {
            new MicroBench(launcher, plan, progress).run(report);
        }
        for (ThroughputBench.Case c : profiled(cases, missed)) {
            new ProfileRun(launcher, plan, progress).run(c, report);
        }
        report.sections.add("load average after: " + Machine.loadAverage());
        return report;
    }

    /**
     * The workloads to profile: all with {@code --profile-all}; otherwise those that missed their budget, one per
     * client kind (the 8-thread variant runs the same code as the 1-thread one) and at most {@link #MAX_PROFILES},
     * to keep the full run within its time.
     */
    private List<ThroughputBench.Case> profiled(List<ThroughputBench.Case> cases, List<ThroughputBench.Case> missed) {
        if (options.profileAll()) {
            return cases;
        }
        if (!options.profileMissed()) {
            return List.of();
        }
        List<ThroughputBench.Case> chosen = new ArrayList<>();
        java.util.Set<Workload> kinds = java.util.EnumSet.noneOf(Workload.class);
        for (ThroughputBench.Case c : missed) {
            if (chosen.size() < MAX_PROFILES && kinds.add(c.workload())) {
                chosen.add(c);
            }
        }
        return chosen;
    }
}
