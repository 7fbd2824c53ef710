package io.socktrace.bench.suite;

import java.util.ArrayList;
import java.util.List;

/** Everything measured on one JDK: the budget table, the comparison tables, and free-form sections. */
final class JdkReport {

    final Jdk jdk;
    final Table budgets = new Table("workload", "baseline", "with socktrace", "ratio / difference", "budget",
            "verdict");
    final Table jfr = new Table("workload", "baseline", "JFR socket events", "JFR ratio", "socktrace ratio");
    final Table allStacks = new Table("workload", "baseline", "socktrace, stackRate=all", "ratio",
            "default (stackRate=1000) ratio");
    final Table allocation = new Table("workload", "baseline B/op", "with socktrace B/op", "socktrace adds B/op");
    final Table warmup = new Table("workload", "warm-up in seconds per variant: median (min..max)");
    final List<String> sections = new ArrayList<>();
    final List<String> missed = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    int met;

    JdkReport(Jdk jdk) {
        this.jdk = jdk;
    }

    /** Adds a row to the budget table and counts its verdict. */
    void budgetRow(String workload, String baseline, String withAgent, String difference, Budget budget,
                   double value) {
        budgets.row(workload, baseline, withAgent, difference, budget == null ? "-" : budget.describe(),
                budget == null ? "(information)" : budget.verdict(value));
        if (budget != null && !Double.isNaN(value)) {
            if (budget.met(value)) {
                met++;
            } else {
                missed.add(workload + ": " + budget.verdict(value));
            }
        }
    }

    void failed(String what, Exception e) {
        failures.add(what + ": " + e.getMessage());
        budgets.row(what, "FAILED", "", "", "", "see the failure below");
    }
}
