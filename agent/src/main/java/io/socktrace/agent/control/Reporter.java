package io.socktrace.agent.control;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
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

    /** Renders and writes a report; any failure is printed as one line and otherwise ignored. */
    public synchronized void report(String trigger) {
        try {
            writer.write(render(trigger, format));
        } catch (Throwable failure) {
            System.err.println("socktrace: could not write the report (" + failure + ")");
        }
    }

    /** The current report in {@code format}, without writing it anywhere. */
    public String render(String trigger, String format) {
        RecordingSnapshot snapshot = recorder.get().snapshot();
        return format.equals("json") ? new JsonReport(libraries).render(snapshot, pid, jvm, trigger)
                : new TextReport(ZoneId.systemDefault(), libraries).render(snapshot, "pid " + pid + "  " + jvm, trigger);
    }
}
