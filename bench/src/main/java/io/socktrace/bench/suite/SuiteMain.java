package io.socktrace.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark suite's driver ({@code scripts/run-benchmarks} runs it): on each JDK, every workload with and
 * without the agent, then one report per JDK. Budgets are verdicts, not assertions: the exit code is non-zero only
 * when a measurement could not be made.
 */
public final class SuiteMain {

    static final List<String> DEFAULT_JDKS = List.of("/usr/lib/jvm/java-17-openjdk-amd64",
            "/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Set<String> SECTIONS = Set.of("throughput", "startup", "attach", "heap", "html", "micro");
    /** Workloads outside the throughput table, each in a section ({@code jmx-scrape} in none but the full run). */
    static final List<String> OTHER_WORKLOADS = List.of(StartupProcessBench.ID, StartupAppCdsBench.ID,
            HeldSocketsBench.ENDPOINTS,
            HeldSocketsBench.OPEN, JmxScrapeBench.ID, HtmlBench.ID);

    private static final String USAGE = String.join("\n",
            "usage: java -jar socktrace-bench.jar [--quick] [--jdk JAVA_HOME]... [--agent socktrace-agent.jar]",
            "                                     [--only SECTION|WORKLOAD,...] [--pairs N] [--profile-all | --no-profile]",
            "                                     [--keep]",
            "sections: " + String.join(", ", new java.util.TreeSet<>(SECTIONS)),
            "throughput workloads: "
                    + String.join(", ", ThroughputBench.CASES.stream().map(ThroughputBench.Case::id).toList()),
            "other workloads: " + StartupProcessBench.ID + ", " + StartupAppCdsBench.ID + " (in startup), "
                    + HeldSocketsBench.ENDPOINTS + ", "
                    + HeldSocketsBench.OPEN + " (in heap), " + JmxScrapeBench.ID + ", " + HtmlBench.ID + " (in html)",
            "--quick runs every workload once, briefly; --pairs N sets the throughput rounds and the "
                    + StartupProcessBench.ID + " and " + StartupAppCdsBench.ID + " rounds",
            "");

    private SuiteMain() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.print("run-benchmarks: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Progress progress = new Progress();
        List<Jdk> jdks = new ArrayList<>();
        for (Path home : options.jdks()) {
            jdks.add(Jdk.at(home));
        }
        Path benchJar = Path.of(SuiteMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path workDir = Files.createTempDirectory("socktrace-bench-");
        System.out.println(header(options, jdks));
        List<JdkReport> reports = new ArrayList<>();
        try {
            for (Jdk jdk : jdks) {
                progress.say("== " + jdk);
                Path jdkDir = Files.createDirectories(workDir.resolve("jdk" + jdk.feature()));
                JdkReport report = new JdkSuite(new Launcher(jdk, benchJar, options.agentJar(), jdkDir), options,
                        progress).run();
                reports.add(report);
                System.out.println(ReportText.render(report));
                System.out.flush();
            }
        } finally {
            if (!options.keep()) {
                deleteTree(workDir);
            } else {
                System.err.println("work files kept in " + workDir);
            }
        }
        System.out.println(ReportText.summary(reports, progress.elapsedSeconds()));
        boolean failed = reports.stream().anyMatch(r -> !r.failures.isEmpty());
        System.exit(failed ? 1 : 0);
    }

    private static String header(Options options, List<Jdk> jdks) {
        StringBuilder out = new StringBuilder();
        out.append("socktrace benchmarks (").append(options.plan().name()).append(" run)\n");
        out.append("machine: ").append(Machine.cpus()).append(" CPUs, ").append(Machine.cpuModel()).append(", ")
                .append(Machine.kernel()).append("; load average at start ").append(Machine.loadAverage())
                .append('\n');
        for (Jdk jdk : jdks) {
            out.append("jdk: ").append(jdk).append('\n');
        }
        out.append("agent: ").append(options.agentJar()).append('\n');
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The command line. */
    record Options(Plan plan, List<Path> jdks, Path agentJar, Set<String> only, boolean profileAll,
                   boolean profileMissed, boolean keep) {

        static Options parse(String[] args) {
            boolean quick = false;
            List<Path> jdks = new ArrayList<>();
            Path agent = Path.of("agent/target/socktrace-agent.jar");
            Set<String> only = new java.util.HashSet<>();
            boolean profileAll = false;
            boolean profileMissed = true;
            boolean keep = false;
            int pairs = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--jdk" -> jdks.add(Path.of(value(args, ++i, "--jdk")));
                    case "--agent" -> agent = Path.of(value(args, ++i, "--agent"));
                    case "--only" -> only.addAll(List.of(value(args, ++i, "--only").split(",")));
                    case "--profile-all" -> profileAll = true;
                    case "--no-profile" -> profileMissed = false;
                    case "--keep" -> keep = true;
                    case "--pairs" -> pairs = Integer.parseInt(value(args, ++i, "--pairs"));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (jdks.isEmpty()) {
                DEFAULT_JDKS.stream().map(Path::of).filter(p -> Files.isExecutable(p.resolve("bin/java")))
                        .forEach(jdks::add);
            }
            if (jdks.isEmpty()) {
                throw new IllegalArgumentException("no JDK found at " + DEFAULT_JDKS + "; name one with --jdk");
            }
            if (!Files.isRegularFile(agent)) {
                throw new IllegalArgumentException("no agent jar at " + agent.toAbsolutePath() + " (build it first)");
            }
            for (String name : only) {
                boolean known = SECTIONS.contains(name) || OTHER_WORKLOADS.contains(name)
                        || ThroughputBench.CASES.stream().anyMatch(c -> c.id().equals(name));
                if (!known) {
                    throw new IllegalArgumentException("unknown section or workload '" + name + "'");
                }
            }
            Plan plan = quick ? Plan.quick() : Plan.full();
            if (pairs > 0) {
                plan = plan.withPairs(pairs);
            }
            return new Options(plan, jdks, agent.toAbsolutePath(), only, profileAll,
                    profileMissed && !quick, keep);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** Whether the section (or, for throughput, the workload) is to run. */
        boolean runs(String section) {
            return only.isEmpty() || only.contains(section);
        }
    }
}
