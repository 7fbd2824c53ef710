package io.socktrace.bench.suite;

import io.socktrace.bench.probe.HeapChurn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload 6: the heap the agent retains after many connections. One client JVM churns connections on several
 * threads (half {@code Socket}, half {@code SocketChannel}) to the echo server and reports the heap in use after
 * full collections at each checkpoint; once without and once with the agent (default options). The agent's
 * retained heap is the difference; "flat" means it does not grow between the checkpoints. Serial GC, so that the
 * heap in use after a full collection is exactly the live data. Not pinned: this measures memory, not time, and
 * both cores make the million connections quicker.
 */
final class HeapBench {

    private static final Budget RETAINED = Budget.atMost(16, "MB", 1);
    private static final Budget GROWTH = Budget.atMost(1, "MB", 2);
    private static final int CHURN_THREADS = 4;
    private static final Pattern HEAP = Pattern.compile(
            "HEAP connections=(\\d+) usedBytes=(\\d+) agentBytes=(\\d+) agentInstances=(\\d+) seconds=([0-9.]+)(.*)");

    /** One checkpoint of one run. */
    record Checkpoint(long connections, long usedBytes, long agentBytes, long agentInstances, double seconds,
                      boolean complete) {
    }

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    HeapBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        List<Checkpoint> baseline;
        List<Checkpoint> agent;
        try (EchoServerProcess server = EchoServerProcess.start(launcher, false, 2 * CHURN_THREADS)) {
            progress.say("heap: baseline churn to " + plan.heapCheckpoints());
            baseline = churn(Variant.BASELINE, server);
            progress.say("heap: with socktrace, churn to " + plan.heapCheckpoints());
            agent = churn(Variant.SOCKTRACE, server);
        } catch (IOException e) {
            report.failed("6. retained heap", e);
            return;
        }
        for (int i = 0; i < baseline.size(); i++) {
            Checkpoint without = baseline.get(i);
            Checkpoint with = agent.get(i);
            double retained = megabytes(with.usedBytes() - without.usedBytes());
            report.budgetRow("6. heap in use after " + Format.number(with.connections(), 0) + " connections (MB)"
                            + (with.complete() && without.complete() ? "" : " INCOMPLETE (time bound)"),
                    Format.number(megabytes(without.usedBytes()), 1),
                    Format.number(megabytes(with.usedBytes()), 1),
                    "+" + Format.number(retained, 1) + " MB", RETAINED, retained);
        }
        Checkpoint firstWithout = baseline.get(0);
        Checkpoint lastWithout = baseline.get(baseline.size() - 1);
        Checkpoint firstWith = agent.get(0);
        Checkpoint lastWith = agent.get(agent.size() - 1);
        double growthWithout = megabytes(lastWithout.usedBytes() - firstWithout.usedBytes());
        double growthWith = megabytes(lastWith.usedBytes() - firstWith.usedBytes());
        report.budgetRow("6. growth from " + Format.number(firstWith.connections(), 0) + " to "
                        + Format.number(lastWith.connections(), 0) + " connections (MB)",
                Format.number(growthWithout, 2), Format.number(growthWith, 2),
                signed(growthWith - growthWithout) + " MB", GROWTH, growthWith - growthWithout);
        StringBuilder detail = new StringBuilder("heap checkpoints (live io.socktrace.agent objects, shallow, from"
                + " GC.class_histogram; churn rate):\n");
        for (Checkpoint c : agent) {
            detail.append(String.format(java.util.Locale.ROOT,
                    "  with socktrace at %,d connections: %,d objects, %,d bytes; %.1f s since start%n",
                    c.connections(), c.agentInstances(), c.agentBytes(), c.seconds()));
        }
        detail.append(String.format(java.util.Locale.ROOT,
                "  churn: %,d connections in %.1f s without the agent, %.1f s with it (%d threads, not pinned)%n",
                lastWith.connections(), lastWithout.seconds(), lastWith.seconds(), CHURN_THREADS));
        report.sections.add(detail.toString());
    }

    private List<Checkpoint> churn(Variant variant, EchoServerProcess server)
            throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(variant);
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx1g"));
        options.addAll(files.options());
        StringBuilder checkpoints = new StringBuilder();
        for (long c : plan.heapCheckpoints()) {
            checkpoints.append(checkpoints.length() == 0 ? "" : ",").append(c);
        }
        List<String> command = launcher.java(false, options, HeapChurn.class.getName(), CHURN_THREADS, checkpoints,
                plan.heapMaxSeconds(), server.echoPort());
        List<Checkpoint> results = new ArrayList<>();
        try (ChildProcess churn = ChildProcess.start(command, launcher.stderrFile("heap"))) {
            for (int i = 0; i < plan.heapCheckpoints().size(); i++) {
                String line = churn.awaitLine(l -> l.startsWith("HEAP"), (plan.heapMaxSeconds() + 60) * 1000).text();
                Matcher m = HEAP.matcher(line);
                if (!m.matches()) {
                    throw churn.failure("unexpected line " + line);
                }
                results.add(new Checkpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Double.parseDouble(m.group(5)),
                        !m.group(6).contains("incomplete")));
            }
            if (churn.waitFor(120_000) != 0) {
                throw churn.failure("heap churn exited with an error");
            }
        }
        if (variant == Variant.SOCKTRACE) {
            Launcher.agentErrors(files.report());
        }
        files.delete();
        return results;
    }

    private static double megabytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String signed(double value) {
        return (value >= 0 ? "+" : "") + Format.number(value, 2);
    }
}
