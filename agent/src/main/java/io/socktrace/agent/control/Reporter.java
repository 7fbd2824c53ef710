package io.socktrace.agent.control;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.Faults;
import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.report.HtmlReport;
import io.socktrace.agent.report.JsonReport;
import io.socktrace.agent.report.ReportWriter;
import io.socktrace.agent.report.TextReport;
import java.time.ZoneId;

/**
 * Writes the current report on request: at exit, on the signal, and (later) from the command line. Reports never
 * stop or reset recording; concurrent requests are written one after the other.
 */
public final class Reporter {

    private final java.util.function.Supplier<Recorder> recorder;
    private final ReportWriter writer;
    private final String format;
    private final Libraries libraries;
    private final long pid = ProcessHandle.current().pid();
    private final String jvm = System.getProperty("java.vm.name", "JVM") + " "
            + System.getProperty("java.runtime.version", System.getProperty("java.version", "?"));

    /** @param recorder the session's current recorder (a reset replaces it) */
    public Reporter(java.util.function.Supplier<Recorder> recorder, ReportWriter writer, String format,
                    Libraries libraries) {
        this.recorder = recorder;
        this.writer = writer;
        this.format = format;
        this.libraries = libraries;
    }

    /**
     * Renders and writes a report. A report that cannot be written to its file goes to standard error instead;
     * any failure is said in one line and counted in the agent's errors, never thrown.
     */
    public void report(String trigger) {
        report(trigger, writer);
    }

    /** The same, to another destination (a triggered report's own file). */
    public synchronized void report(String trigger, ReportWriter writer) {
        String text;
        try {
            text = render(trigger, format);
        } catch (Throwable failure) {
            recorder.get().failed(failure);
            System.err.println("socktrace: could not render the report (" + failure + ")");
            return;
        }
        try {
            writer.write(text);
        } catch (Throwable failure) {
            recorder.get().failed(failure);
            System.err.println("socktrace: could not write the report to " + writer.file() + " (" + failure
                    + "); here it is on standard error");
            System.err.print(text);
            System.err.flush();
        }
    }

    /** The current report in {@code format}, without writing it anywhere. */
    public String render(String trigger, String format) {
        Faults.check(Faults.Fault.REPORT);
        RecordingSnapshot snapshot = recorder.get().snapshot();
        if (format.equals("html")) {
            return new HtmlReport(libraries).render(snapshot, pid, jvm, trigger);
        }
        return format.equals("json") ? new JsonReport(libraries).render(snapshot, pid, jvm, trigger)
                : new TextReport(ZoneId.systemDefault(), libraries).render(snapshot, "pid " + pid + "  " + jvm, trigger);
    }
}
