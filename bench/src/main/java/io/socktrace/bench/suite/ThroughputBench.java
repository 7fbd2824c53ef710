package io.socktrace.bench.suite;

import io.socktrace.bench.wire.NettyEpoll;
import io.socktrace.bench.wire.Workload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workloads 1-3 (and the JFR comparison of 1 and 2): for each, one echo server JVM, then rounds of client JVMs
 * run back to back (baseline, with socktrace, [JFR]), each warming up until its JIT compiler is quiet and then
 * measuring for a fixed time (see {@code ClientMain}). Client and server are pinned to the same CPU when
 * {@code taskset} exists, which keeps the ratios stable on a noisy machine; alternating the variants spreads any
 * drift evenly over them.
 */
final class ThroughputBench {

    /**
     * One row of the table: a workload, its client threads, its budget, whether JFR is compared on it, and whether
     * socktrace capturing every stack is (only churn captures stacks faster than the default rate). Both comparisons
     * run on the single-thread rows only: an 8-thread run warms up three times as long, and two more variants there
     * would add a quarter of an hour to the suite. A {@code minRatio} of NaN is a row for information, without a
     * budget.
     */
    record Case(String id, String label, Workload workload, int threads, double minRatio, boolean compareJfr,
                boolean compareAllStacks) {
    }

    static final List<Case> CASES = List.of(
            new Case("socket-rr", "1. request/response, Socket", Workload.SOCKET_REQUEST_RESPONSE, 1, 0.98, true,
                    false),
            new Case("channel-rr", "1. request/response, SocketChannel", Workload.CHANNEL_REQUEST_RESPONSE, 1, 0.98,
                    true, false),
            new Case("netty-epoll-rr", "1. request/response, Netty " + NettyEpoll.version() + " epoll",
                    Workload.NETTY_EPOLL_REQUEST_RESPONSE, 1, 0.98, false, false),
            // both ends recorded, twice the hooked calls per round trip of the row above: information
            new Case("netty-epoll-rr-1jvm", "1. request/response, Netty " + NettyEpoll.version()
                    + " epoll, both ends in the client JVM", Workload.NETTY_EPOLL_REQUEST_RESPONSE_ONE_JVM, 1,
                    Double.NaN, false, false),
            // both ends recorded: the server thread's accepted socket too
            new Case("socket-rr-1jvm", "1. request/response, Socket, both ends in the client JVM",
                    Workload.SOCKET_REQUEST_RESPONSE_ONE_JVM, 1, 0.98, false, false),
            new Case("socket-churn", "2. churn, Socket, 1 thread", Workload.SOCKET_CHURN, 1, 0.95, true, true),
            new Case("socket-churn-x8", "2. churn, Socket, 8 threads", Workload.SOCKET_CHURN, 8, 0.95, false,
                    false),
            new Case("channel-churn", "2. churn, SocketChannel, 1 thread", Workload.CHANNEL_CHURN, 1, 0.95, true,
                    true),
            new Case("channel-churn-x8", "2. churn, SocketChannel, 8 threads", Workload.CHANNEL_CHURN, 8, 0.95,
                    false, false),
            // the server in the client JVM, a new thread per accepted connection: connect, accept, both closes
            new Case("socket-churn-1jvm", "2. churn, Socket, 1 thread, both ends in the client JVM"
                    + " (a server thread per connection)", Workload.SOCKET_CHURN_ONE_JVM, 1, 0.95, false, false),
            new Case("socket-churn-1jvm-x8", "2. churn, Socket, 8 threads, both ends in the client JVM"
                    + " (a server thread per connection)", Workload.SOCKET_CHURN_ONE_JVM, 8, 0.95, false, false),
            new Case("socket-timeout", "3. read timeouts, Socket, SO_TIMEOUT 1 ms", Workload.SOCKET_READ_TIMEOUT, 1,
                    0.90, false, false));

    private static final Pattern RESULT =
            Pattern.compile("RESULT rate=([0-9.]+) ops=\\d+ seconds=[0-9.]+ allocPerOp=([0-9.]+) warmup=([0-9.]+)");
    private static final int SERVER_THREADS = 16;

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    ThroughputBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    /** Runs every case in {@code cases}; returns those that missed their budget. */
    List<Case> run(List<Case> cases, JdkReport report) throws InterruptedException {
        List<Case> missed = new ArrayList<>();
        boolean jfrCompared = false;
        for (Case c : cases) {
            boolean compareJfr = c.compareJfr() && (plan.jfrOnEveryCase() || !jfrCompared);
            jfrCompared |= compareJfr;
            try {
                if (!measure(c, compareJfr, report)) {
                    missed.add(c);
                }
            } catch (IOException e) {
                report.failed(c.label(), e);
            }
        }
        return missed;
    }

    private boolean measure(Case c, boolean compareJfr, JdkReport report) throws IOException, InterruptedException {
        List<Variant> variants = new ArrayList<>(List.of(Variant.BASELINE, Variant.SOCKTRACE));
        if (compareJfr) {
            variants.add(Variant.JFR);
        }
        if (c.compareAllStacks()) {
            variants.add(Variant.SOCKTRACE_ALL_STACKS);
        }
        Map<Variant, Samples> rates = new EnumMap<>(Variant.class);
        Map<Variant, Samples> allocations = new EnumMap<>(Variant.class);
        Map<Variant, Samples> warmups = new EnumMap<>(Variant.class);
        for (Variant v : variants) {
            rates.put(v, new Samples());
            allocations.put(v, new Samples());
            warmups.put(v, new Samples());
        }
        long agentErrors = 0;
        try (EchoServerProcess server = EchoServerProcess.start(launcher, true, SERVER_THREADS)) {
            for (int round = 1; round <= plan.pairs(); round++) {
                for (Variant v : variants) {
                    progress.say(c.id() + " round " + round + "/" + plan.pairs() + ": " + v.label());
                    Launcher.RunFiles files = launcher.variantOptions(v);
                    double[] result = client(c, files.options(), server);
                    if (v == Variant.SOCKTRACE || v == Variant.SOCKTRACE_ALL_STACKS) {
                        agentErrors += Launcher.agentErrors(files.report());
                        if (recordedVia(c.workload()) != null) {
                            Launcher.requireTransport(files.report(), recordedVia(c.workload()));
                        }
                    }
                    files.delete();
                    rates.get(v).add(result[0]);
                    allocations.get(v).add(result[1]);
                    warmups.get(v).add(result[2]);
                }
            }
        }
        Samples baseline = rates.get(Variant.BASELINE);
        Samples agent = rates.get(Variant.SOCKTRACE);
        double ratio = agent.median() / baseline.median();
        Budget budget = Double.isNaN(c.minRatio()) ? null : Budget.ratioAtLeast(c.minRatio());
        String unit = " (" + c.workload().unit() + ")";
        report.budgetRow(c.label() + unit, Format.spread(baseline, 0), Format.spread(agent, 0),
                Format.ratioWithPairs(ratio, agent.ratiosTo(baseline)), budget, ratio);
        double baselineBytes = allocations.get(Variant.BASELINE).median();
        double agentBytes = allocations.get(Variant.SOCKTRACE).median();
        report.allocation.row(c.label(), Format.number(baselineBytes, 0), Format.number(agentBytes, 0),
                Format.number(agentBytes - baselineBytes, 0));
        if (compareJfr) {
            Samples jfr = rates.get(Variant.JFR);
            report.jfr.row(c.label() + unit, Format.spread(baseline, 0), Format.spread(jfr, 0),
                    Format.ratioWithPairs(jfr.median() / baseline.median(), jfr.ratiosTo(baseline)),
                    Format.ratio(ratio));
        }
        if (c.compareAllStacks()) {
            Samples all = rates.get(Variant.SOCKTRACE_ALL_STACKS);
            report.allStacks.row(c.label() + unit, Format.spread(baseline, 0), Format.spread(all, 0),
                    Format.ratioWithPairs(all.median() / baseline.median(), all.ratiosTo(baseline)),
                    Format.ratio(ratio));
        }
        StringBuilder warmed = new StringBuilder();
        for (Variant v : variants) {
            warmed.append(warmed.length() == 0 ? "" : ", ").append(v.label()).append(' ')
                    .append(Format.spread(warmups.get(v), 1));
        }
        report.warmup.row(c.label(), warmed.toString());
        if (agentErrors > 0) {
            report.sections.add("note: the agent counted " + agentErrors + " internal errors in " + c.label());
        }
        return budget == null || budget.met(ratio);
    }

    /** One client JVM; returns {rate, allocated bytes per operation, seconds of warm-up}. */
    private double[] client(Case c, List<String> options, EchoServerProcess server)
            throws IOException, InterruptedException {
        List<String> command = launcher.java(true, jvmOptions(options), "io.socktrace.bench.wire.ClientMain",
                c.workload().name(), c.threads(), plan.warmupMillis(), plan.measureMillis(), server.echoPort(),
                server.silentPort(), plan.maxWarmupMillis());
        try (ChildProcess client = ChildProcess.start(command, launcher.stderrFile("client"))) {
            long bound = plan.maxWarmupMillis() + plan.measureMillis() + 60_000;
            ChildProcess.Line line = client.awaitLine(l -> l.startsWith("RESULT") || l.startsWith("ERROR"), bound);
            Matcher m = RESULT.matcher(line.text());
            if (!m.matches()) {
                throw client.failure("client failed");
            }
            if (client.waitFor(60_000) != 0) {
                throw client.failure("client exited with an error");
            }
            return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))};
        }
    }

    /**
     * The transport the agent's report must name for the workload's connections, so that a "with socktrace" number
     * is one of a run where the library's hooks recorded; null for the JDK's sockets.
     */
    private static String recordedVia(Workload workload) {
        return switch (workload) {
            case NETTY_EPOLL_REQUEST_RESPONSE, NETTY_EPOLL_REQUEST_RESPONSE_ONE_JVM -> "Netty epoll";
            default -> null;
        };
    }

    /** The same heap for every client, so the variants differ only in what they add. */
    static List<String> jvmOptions(List<String> variantOptions) {
        List<String> options = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
        options.addAll(variantOptions);
        return options;
    }
}
