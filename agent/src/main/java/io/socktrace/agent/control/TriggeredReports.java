package io.socktrace.agent.control;

import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.ReportTrigger;
import io.socktrace.agent.config.TriggerRule;
import io.socktrace.agent.report.ReportWriter;
import java.nio.file.Path;

/**
 * Writes the reports {@code trigger=...} asks for, on an agent thread of its own: the socket threads only count and
 * queue a request ({@link ReportTrigger}). Reports go where the others go; to a file, under a name of their own
 * beside it ({@code report.json} gives {@code report.trigger-1.json}, {@code -2}, ...), so that a triggered report
 * never replaces the exit report. A failure is said and counted, never thrown.
 */
final class TriggeredReports {

    private final ReportTrigger trigger;
    private final Reporter reporter;
    private final Path reportFile;
    private final Thread thread;
    private volatile boolean stopping;
    private int written;
    private long suppressedSaid;

    private TriggeredReports(ReportTrigger trigger, Reporter reporter, Path reportFile) {
        this.trigger = trigger;
        this.reporter = reporter;
        this.reportFile = reportFile;
        this.thread = AgentHealth.thread("socktrace-trigger", "triggered report", this::run);
    }

    /** The session's trigger as the recorder counts it, or {@code null} for {@code trigger=off}. */
    static ReportTrigger of(TriggerRule rule) {
        if (rule == null) {
            return null;
        }
        return new ReportTrigger(rule.kind().equals("failedConnects") ? ReportTrigger.Kind.FAILED_CONNECTS
                : ReportTrigger.Kind.RECONNECTS, rule.count(), rule.intervalNanos(), rule.text());
    }

    /** Starts writing triggered reports; {@code reportFile} {@code null} is standard error. */
    static TriggeredReports start(ReportTrigger trigger, Reporter reporter, Path reportFile) {
        TriggeredReports reports = new TriggeredReports(trigger, reporter, reportFile);
        reports.thread.start();
        return reports;
    }

    void stop() {
        stopping = true;
        thread.interrupt();
    }

    private void run() {
        while (!stopping) {
            ReportTrigger.Fired fired;
            try {
                fired = trigger.next(1_000);
            } catch (InterruptedException stopped) {
                return;
            }
            sayCapReached();
            if (fired != null && !stopping) {
                written++;
                reporter.report("trigger " + trigger.rule() + ": " + fired.count() + " at " + fired.endpoint(),
                        new ReportWriter(file(written), System.err));
            }
        }
    }

    /** One line each time the cap has held back firings since it was last said. */
    private void sayCapReached() {
        long suppressed = trigger.counts().suppressed();
        if (suppressed > suppressedSaid) {
            suppressedSaid = suppressed;
            System.err.println("socktrace: trigger " + trigger.rule() + ": at most "
                    + ReportTrigger.REPORTS_PER_INTERVAL + " reports per interval; " + suppressed
                    + " firings counted and not reported so far");
        }
    }

    /** {@code report.json} as {@code report.trigger-N.json}; {@code null} (standard error) stays so. */
    Path file(int n) {
        return numbered(reportFile, n);
    }

    static Path numbered(Path file, int n) {
        if (file == null) {
            return null;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + ".trigger-" + n + name.substring(dot)
                : name + ".trigger-" + n;
        return file.resolveSibling(numbered);
    }
}
