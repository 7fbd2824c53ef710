package io.socktrace.bench.suite;

import java.util.List;
import java.util.Locale;

/** The text the suite prints: one block per JDK, then the summary of the budgets. */
final class ReportText {

    private ReportText() {
    }

    static String render(JdkReport report) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(report.jdk).append("\n\n");
        out.append("Budgets (median (min..max) of the repeats; ratio = median with / median without, "
                + "[range of the per-pair ratios]):\n\n");
        out.append(report.budgets.render()).append('\n');
        if (report.jfr.hasRows()) {
            out.append("7. For comparison: JFR with jdk.SocketRead and jdk.SocketWrite at threshold 0 ms, with stack"
                    + " traces, instead of socktrace (same runs, same rounds):\n\n");
            out.append(report.jfr.render()).append('\n');
        }
        if (report.allStacks.hasRows()) {
            out.append("Churn capturing every stack (stackRate=all) rather than at most 1000 a second, the default"
                    + " (same runs, same rounds): what exact stack attribution costs at thousands of connections"
                    + " a second:\n\n");
            out.append(report.allStacks.render()).append('\n');
        }
        if (report.allocation.hasRows()) {
            out.append("Allocation by the client threads per operation (median; a churn operation is a whole"
                    + " connection):\n\n");
            out.append(report.allocation.render()).append('\n');
        }
        if (report.warmup.hasRows()) {
            out.append("Warm-up of each run: at least the plan's minimum, then until the JIT compiler had been quiet"
                    + " for 2 s (at most the plan's maximum), so that every variant is measured compiled:\n\n");
            out.append(report.warmup.render()).append('\n');
        }
        for (String section : report.sections) {
            out.append(section.stripTrailing()).append("\n\n");
        }
        for (String failure : report.failures) {
            out.append("FAILED ").append(failure).append("\n\n");
        }
        return out.toString();
    }

    static String summary(List<JdkReport> reports, double seconds) {
        StringBuilder out = new StringBuilder("## Summary\n\n");
        for (JdkReport report : reports) {
            out.append(String.format(Locale.ROOT, "JDK %d: %d budgets met, %d missed, %d failed%n",
                    report.jdk.feature(), report.met, report.missed.size(), report.failures.size()));
            for (String missed : report.missed) {
                out.append("  missed: ").append(missed).append('\n');
            }
        }
        out.append(String.format(Locale.ROOT, "%nsuite time: %.0f s%n", seconds));
        return out.toString();
    }
}
