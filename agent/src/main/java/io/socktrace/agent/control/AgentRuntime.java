package io.socktrace.agent.control;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.SocketEvents;
import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.instrument.Installer;
import io.socktrace.agent.report.JfrEvents;
import io.socktrace.agent.report.ReportWriter;
import io.socktrace.agent.report.TraceWriter;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * The running agent: one recorder, the instrumentation feeding it, the listeners it publishes to (event trace,
 * Flight Recorder) and the triggers that report it. Loaded only after the bootstrap classes are injected (it
 * refers to them).
 */
public final class AgentRuntime {

    /** How long the exit hook waits for the event trace to be written out. */
    private static final long TRACE_FLUSH_MILLIS = 2_000;

    private AgentRuntime() {
    }

    /** The event trace, or {@code null} when none is wanted or the file cannot be written (said in one line). */
    private static TraceWriter startTrace(String path, Recorder recorder) {
        if (path == null) {
            return null;
        }
        try {
            TraceWriter trace = TraceWriter.start(Path.of(path), recorder);
            recorder.addListener(trace);
            return trace;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("socktrace: cannot write the event trace to " + path + " (" + e
                    + "); recording without it");
            return null;
        }
    }

    /** Starts recording; returns false if an agent is already recording in this JVM. */
    public static boolean start(AgentConfig config, Instrumentation instrumentation) {
        Recorder recorder = new Recorder(new RecorderSettings(config.maxConnections(), config.maxEndpoints(),
                config.maxStacks(), config.stackDepth(), config.cycles(), config.reconnectWindowNanos()));
        TraceWriter trace = startTrace(config.tracePath(), recorder);
        if (config.jfr() && JfrEvents.available()) {
            recorder.addListener(new JfrEvents());
        }
        if (!SocketEvents.start(recorder)) {
            if (trace != null) {
                trace.close(0);
            }
            return false;
        }
        String path = config.reportPath();
        Reporter reporter = new Reporter(recorder, new ReportWriter(path == null ? null : Path.of(path), System.err),
                config.format(), Libraries.withExtra(config.libraries()));
        new Installer().install(instrumentation);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reporter.report("exit");
            if (trace != null) {
                trace.close(TRACE_FLUSH_MILLIS);
            }
        }, "socktrace-exit-report"));
        if (config.signal() != null) {
            ReportSignal.install(config.signal(), reporter);
        }
        return true;
    }
}
