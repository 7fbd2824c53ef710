package io.socktrace.bench.suite;

import io.socktrace.bench.probe.HeldSockets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload 6, per socket: what the agent keeps for each endpoint once its connections are closed
 * ({@code endpoints-1000}) and for each connection while it is open ({@code open-connections}), both ends of every
 * connection in one probe JVM ({@link HeldSockets}); once without and once with the agent. Each run measures its
 * own heap before and after (after full collections, Serial GC), so the agent's share is the growth with it minus
 * the growth without: its fixed cost (classes, the MBean, the instrumentation) is in both of a run's measurements
 * and drops out. Not pinned: memory, not time.
 */
final class HeldSocketsBench {

    static final String ENDPOINTS = "endpoints-1000";
    static final String OPEN = "open-connections";
    private static final int ENDPOINT_COUNT = 1000;
    private static final long MAX_SECONDS = 120;
    /** 2 KiB per aggregate at rest, N client and N accepted ones. */
    private static final Budget ENDPOINTS_BUDGET = Budget.atMost(4, "MB", 2);
    private static final Budget PER_OPEN_BUDGET = Budget.atMost(256, "B", 0);
    private static final Pattern HELD = Pattern.compile("HELD mode=(\\w+) count=(\\d+) beforeBytes=(\\d+)"
            + " afterBytes=(\\d+) agentBytesBefore=(\\d+) agentBytesAfter=(\\d+) agentInstancesAfter=(\\d+)");

    /** One probe run: the sockets it made, its heap before and after, the agent's live objects. */
    record Held(int count, long before, long after, long agentBefore, long agentAfter, long agentInstances) {
        long growth() {
            return after - before;
        }
    }

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    HeldSocketsBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report, boolean endpoints, boolean open) throws InterruptedException {
        if (endpoints) {
            try {
                endpoints(report);
            } catch (IOException e) {
                report.failed("6. " + ENDPOINTS, e);
            }
        }
        if (open) {
            try {
                openConnections(report);
            } catch (IOException e) {
                report.failed("6. " + OPEN, e);
            }
        }
    }

    private void endpoints(JdkReport report) throws IOException, InterruptedException {
        progress.say(ENDPOINTS + ": baseline, then with socktrace");
        Held without = probe(Variant.BASELINE, "endpoints", ENDPOINT_COUNT);
        Held with = probe(Variant.SOCKTRACE, "endpoints", ENDPOINT_COUNT);
        long agentBytes = with.growth() - without.growth();
        int aggregates = 2 * with.count();
        report.budgetRow("6. " + ENDPOINTS + ": heap growth after " + Format.number(with.count(), 0)
                        + " listeners, one connection each, all closed (" + Format.number(aggregates, 0)
                        + " client + accepted endpoints) (MB)", Format.number(megabytes(without.growth()), 2),
                Format.number(megabytes(with.growth()), 2), signed(megabytes(agentBytes)) + " MB ("
                        + Format.number((double) agentBytes / aggregates, 0) + " B per endpoint)",
                ENDPOINTS_BUDGET, megabytes(agentBytes));
        report.sections.add(detail(ENDPOINTS, without, with));
    }

    private void openConnections(JdkReport report) throws IOException, InterruptedException {
        progress.say(OPEN + ": baseline, then with socktrace, " + plan.openConnections() + " connections");
        Held without = probe(Variant.BASELINE, "open", plan.openConnections());
        Held with = probe(Variant.SOCKTRACE, "open", plan.openConnections());
        if (with.count() != without.count()) {
            throw new IOException("the runs held " + without.count() + " and " + with.count() + " connections");
        }
        long agentBytes = with.growth() - without.growth();
        // both ends are in the JVM and both are recorded: 2N open sockets; the one listener's endpoint is negligible
        int sockets = 2 * with.count();
        double perSocket = (double) agentBytes / sockets;
        report.budgetRow("6. " + OPEN + ": heap growth with " + Format.number(with.count(), 0)
                        + " connections open, both ends in the JVM (" + Format.number(sockets, 0)
                        + " recorded sockets); difference per recorded socket (B)",
                Format.number(megabytes(without.growth()), 2) + " MB",
                Format.number(megabytes(with.growth()), 2) + " MB",
                signed(megabytes(agentBytes)) + " MB (" + Format.number(perSocket, 0) + " B per socket, "
                        + Format.number(2 * perSocket, 0) + " B per connection)", PER_OPEN_BUDGET, perSocket);
        report.sections.add(detail(OPEN, without, with));
    }

    private static String detail(String id, Held without, Held with) {
        return String.format(java.util.Locale.ROOT, "6. %s: heap before/after, without the agent %,d / %,d B,"
                        + " with it %,d / %,d B; live io.socktrace.agent objects (shallow, GC.class_histogram)"
                        + " %,d B before, %,d B (%,d objects) after", id, without.before(), without.after(),
                with.before(), with.after(), with.agentBefore(), with.agentAfter(), with.agentInstances());
    }

    private Held probe(Variant variant, String mode, int count) throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(variant);
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx512m"));
        options.addAll(files.options());
        List<String> command = launcher.java(false, options, HeldSockets.class.getName(), mode, count, MAX_SECONDS);
        try (ChildProcess probe = ChildProcess.start(command, launcher.stderrFile("held-" + mode))) {
            String line = probe.awaitLine(l -> l.startsWith("HELD"), (MAX_SECONDS + 30) * 1000).text();
            Matcher m = HELD.matcher(line);
            if (!m.matches()) {
                throw probe.failure("unexpected line " + line);
            }
            if (probe.waitFor(60_000) != 0) {
                throw probe.failure("held-sockets probe exited with an error");
            }
            if (variant == Variant.SOCKTRACE) {
                Launcher.agentErrors(files.report());
            }
            files.delete();
            return new Held(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
        }
    }

    private static double megabytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String signed(double value) {
        return (value >= 0 ? "+" : "") + Format.number(value, 2);
    }
}
