package io.socktrace.agent.control;

import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.SocketEvents;
import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.instrument.Installer;
import io.socktrace.agent.report.ReportWriter;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * The running agent: one recorder, the instrumentation feeding it, and the triggers that report it. Loaded only
 * after the bootstrap classes are injected (it refers to them).
 */
public final class AgentRuntime {

    private AgentRuntime() {
    }

    /** Starts recording; returns false if an agent is already recording in this JVM. */
    public static boolean start(AgentConfig config, Instrumentation instrumentation) {
        Recorder recorder = new Recorder(new RecorderSettings(config.maxConnections(), config.maxEndpoints(),
                config.maxStacks(), config.stackDepth(), config.cycles(), config.reconnectWindowNanos()));
        if (!SocketEvents.start(recorder)) {
            return false;
        }
        String path = config.reportPath();
        Reporter reporter = new Reporter(recorder, new ReportWriter(path == null ? null : Path.of(path), System.err));
        new Installer().install(instrumentation);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> reporter.report("exit"), "socktrace-exit-report"));
        if (config.signal() != null) {
            ReportSignal.install(config.signal(), reporter);
        }
        return true;
    }
}
