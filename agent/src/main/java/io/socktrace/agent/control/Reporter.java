package io.socktrace.agent.control;

import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.report.ReportWriter;
import io.socktrace.agent.report.TextReport;
import java.time.ZoneId;

/**
 * Writes the current report on request: at exit, on the signal, and (later) from the command line. Reports never
 * stop or reset recording; concurrent requests are written one after the other.
 */
public final class Reporter {

    private final Recorder recorder;
    private final ReportWriter writer;
    private final String process;

    public Reporter(Recorder recorder, ReportWriter writer) {
        this.recorder = recorder;
        this.writer = writer;
        this.process = describeProcess();
    }

    /** Renders and writes a report; any failure is printed as one line and otherwise ignored. */
    public synchronized void report(String trigger) {
        try {
            String text = new TextReport(ZoneId.systemDefault()).render(recorder.snapshot(), process, trigger);
            writer.write(text);
        } catch (Throwable failure) {
            System.err.println("socktrace: could not write the report (" + failure + ")");
        }
    }

    private static String describeProcess() {
        return "pid " + ProcessHandle.current().pid() + "  " + System.getProperty("java.vm.name", "JVM") + " "
                + System.getProperty("java.runtime.version", System.getProperty("java.version", "?"));
    }
}
