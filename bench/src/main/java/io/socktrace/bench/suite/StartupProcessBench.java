package io.socktrace.bench.suite;

import io.socktrace.bench.probe.StartupProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload 4, whole process: a short-lived JVM that uses a socket at once ({@link StartupProbe}: one file read and
 * one loopback connection in {@code main}), from launch to exit, without the agent, with socktrace and with Flight
 * Recorder started at launch ({@code -XX:StartFlightRecording}, its defaults) for comparison. Wall time as the
 * driver sees it (fork to reaped), CPU as user + system time of the child from {@code /usr/bin/time}: a JVM's
 * start-up runs on many threads (JIT compilers, GC), and its CPU is what a machine starting many of them pays.
 * One unmeasured round, then alternated rounds. Not pinned.
 */
final class StartupProcessBench {

    static final String ID = "startup-process";
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final Budget WALL = Budget.atMost(300, "ms", 0);
    private static final Budget CPU = Budget.atMost(600, "ms", 0);
    private static final Pattern TIMES = Pattern.compile("TIME user=([0-9.]+) sys=([0-9.]+)");
    private static final List<Variant> VARIANTS = List.of(Variant.BASELINE, Variant.SOCKTRACE,
            Variant.JFR_AT_LAUNCH);

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    StartupProcessBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        boolean cpu = Files.isExecutable(TIME);
        Map<Variant, Samples> wall = new EnumMap<>(Variant.class);
        Map<Variant, Samples> cpuTime = new EnumMap<>(Variant.class);
        for (Variant v : VARIANTS) {
            wall.put(v, new Samples());
            cpuTime.put(v, new Samples());
        }
        try {
            for (int round = 0; round <= plan.pairs(); round++) {
                progress.say(ID + " round " + round + "/" + plan.pairs() + (round == 0 ? " (unmeasured)" : ""));
                for (Variant v : VARIANTS) {
                    double[] result = once(v, cpu);
                    if (round > 0) {
                        wall.get(v).add(result[0]);
                        cpuTime.get(v).add(result[1]);
                    }
                }
            }
        } catch (IOException e) {
            report.failed("4. " + ID, e);
            return;
        }
        Samples base = wall.get(Variant.BASELINE);
        Samples agent = wall.get(Variant.SOCKTRACE);
        Samples jfr = wall.get(Variant.JFR_AT_LAUNCH);
        String label = "4. " + ID + ": a JVM that connects at once in main, launch to exit, ";
        report.budgetRow(label + "wall (ms)", Format.spread(base, 0), Format.spread(agent, 0),
                difference(agent, base), WALL, agent.median() - base.median());
        report.budgetRow(label + "wall, JFR at launch instead (ms)", Format.spread(base, 0),
                "JFR " + Format.spread(jfr, 0), difference(jfr, base) + beats(agent, jfr), null, Double.NaN);
        if (!cpu) {
            report.sections.add("4. " + ID + ": no " + TIME + ", so the child's CPU time was not measured");
            return;
        }
        Samples baseCpu = cpuTime.get(Variant.BASELINE);
        Samples agentCpu = cpuTime.get(Variant.SOCKTRACE);
        Samples jfrCpu = cpuTime.get(Variant.JFR_AT_LAUNCH);
        report.budgetRow(label + "CPU, user + sys (ms)", Format.spread(baseCpu, 0), Format.spread(agentCpu, 0),
                difference(agentCpu, baseCpu), CPU, agentCpu.median() - baseCpu.median());
        report.budgetRow(label + "CPU, JFR at launch instead (ms)", Format.spread(baseCpu, 0),
                "JFR " + Format.spread(jfrCpu, 0), difference(jfrCpu, baseCpu) + beats(agentCpu, jfrCpu), null,
                Double.NaN);
    }

    private static String difference(Samples with, Samples without) {
        double d = with.median() - without.median();
        return (d >= 0 ? "+" : "") + Format.number(d, 0) + " ms";
    }

    /** Whether socktrace costs less than JFR at launch (medians). */
    private static String beats(Samples socktrace, Samples jfr) {
        return socktrace.median() < jfr.median() ? "; socktrace costs less" : "; socktrace costs more";
    }

    /** One probe run: {wall ms, user + sys ms (NaN without /usr/bin/time)}. */
    private double[] once(Variant variant, boolean cpu) throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(variant);
        Path times = launcher.workDir().resolve("startup-process-time.txt");
        List<String> command = new ArrayList<>();
        if (cpu) {
            command.addAll(List.of(TIME.toString(), "-f", "TIME user=%U sys=%S", "-o", times.toString()));
        }
        command.addAll(launcher.java(false, files.options(), StartupProbe.class.getName()));
        double wallMillis;
        try (ChildProcess probe = ChildProcess.start(command, launcher.stderrFile("startup-process"))) {
            int exit = probe.waitFor(60_000);
            wallMillis = (System.nanoTime() - probe.startedNanos()) / 1e6;
            if (exit != 0 || !probe.output().contains(StartupProbe.SOCKET_LINE)) {
                throw probe.failure("start-up probe failed");
            }
        }
        if (variant == Variant.SOCKTRACE) {
            Launcher.agentErrors(files.report());
        }
        files.delete();
        if (!cpu) {
            return new double[] {wallMillis, Double.NaN};
        }
        Matcher m = TIMES.matcher(Files.readString(times, StandardCharsets.UTF_8).strip());
        if (!m.find()) {
            throw new IOException("unexpected " + TIME + " output in " + times);
        }
        return new double[] {wallMillis, (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) * 1000};
    }
}
