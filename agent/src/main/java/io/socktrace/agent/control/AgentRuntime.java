package io.socktrace.agent.control;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.Faults;
import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.SocketEvents;
import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.instrument.Installer;
import io.socktrace.agent.instrument.WovenClassCache;
import io.socktrace.agent.report.JfrEvents;
import io.socktrace.agent.report.ReportWriter;
import io.socktrace.agent.report.TraceWriter;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One session of the agent in this JVM: the instrumentation, the current recording (a {@link Recorder}, which owns
 * its tables, stacks and listeners, and which a reset replaces whole), the event trace file that spans the
 * session, and the ways to report (exit, signal, command line, JMX). Started by {@code -javaagent} or
 * {@code attach}, ended by {@code detach}, which restores the JDK's classes. Loaded only after the bootstrap
 * classes are injected (it refers to them).
 */
public final class AgentRuntime {

    /** System property that tells the command line, without loading anything, whether the agent runs here. */
    public static final String STATE_PROPERTY = "socktrace.agent.state";

    /** How long the exit hook waits for the event trace to be written out. */
    private static final long TRACE_FLUSH_MILLIS = 2_000;

    private static AgentRuntime current;
    private static boolean hooksInstalled;

    private final AgentConfig config;
    private final String options;
    private final Instrumentation instrumentation;
    private final Instant startedAt = Instant.now();
    private volatile Recorder recorder;
    private final Reporter reporter;
    private final TraceWriter trace;
    /** {@code trigger=...}: counted by each recording, reported by {@link #triggered}; {@code null} if off. */
    private final io.socktrace.agent.bootstrap.ReportTrigger trigger;
    private final TriggeredReports triggered;
    private final Installer installer = new Installer();
    private RecorderMBean mbean;

    private AgentRuntime(AgentConfig config, String options, Instrumentation instrumentation, boolean atStartUp) {
        this.config = config;
        this.options = options == null ? "" : options;
        this.instrumentation = instrumentation;
        this.trace = startTrace(config.tracePath());
        this.trigger = TriggeredReports.of(config.trigger());
        this.recorder = newRecorder(atStartUp);
        Path reportFile = reportFile(config.reportPath());
        this.reporter = new Reporter(this::recorder, new ReportWriter(reportFile, System.err),
                config.format(), Libraries.withExtra(config.libraries()));
        this.triggered = trigger == null ? null : TriggeredReports.start(trigger, reporter, reportFile);
    }

    /** The running session, or {@code null}. */
    public static synchronized AgentRuntime current() {
        return current;
    }

    /** How long after start-up the MBean is registered. */
    static final long MBEAN_DELAY_MILLIS = 2_000;

    /**
     * Starts recording; returns null if a session is already running in this JVM.
     *
     * @param atStartUp from {@code premain}: no connection can be open yet, so none is looked for
     * @param cache     the JDK socket classes as woven on earlier runs
     */

    public static synchronized AgentRuntime start(AgentConfig config, String options, Instrumentation instrumentation,
                                                  boolean atStartUp, WovenClassCache cache) {
        if (current != null) {
            return null;
        }
        Faults.enable(System.getProperty(Faults.PROPERTY));
        AgentHealth.clear();
        AgentRuntime runtime = new AgentRuntime(config, options, instrumentation, atStartUp);
        if (!SocketEvents.start(runtime.recorder)) {
            runtime.stopTriggered();
            runtime.closeTrace();
            return null;
        }
        runtime.installer.install(instrumentation, cache, !atStartUp);
        current = runtime;
        installHooksOnce(config);
        registerMBeanInBackground(runtime);
        System.setProperty(STATE_PROPERTY, "recording since " + runtime.startedAt);
        return runtime;
    }

    /**
     * JMX initialises the platform MBean server, a tenth of a second of CPU on a cold JVM: off the start-up path,
     * {@link #MBEAN_DELAY_MILLIS} after start, so that it never competes with
     * the application's start-up, and a JVM that exits within that time (a CLI, a batch step) never pays for it.
     */
    private static void registerMBeanInBackground(AgentRuntime runtime) {
        Thread registering = AgentHealth.thread("socktrace-jmx", "JMX registration", () -> {
            try {
                Thread.sleep(MBEAN_DELAY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            RecorderMBean bean = RecorderMBean.register(runtime);
            synchronized (runtime) {
                if (current() == runtime) {
                    runtime.mbean = bean;
                } else if (bean != null) {
                    bean.unregister(); // detached meanwhile
                }
            }
        });
        registering.start();
    }

    /** Stops recording and restores the JDK's classes; the application carries on untouched. */
    public synchronized void stop() {
        synchronized (AgentRuntime.class) {
            if (current != this) {
                return;
            }
            current = null;
        }
        SocketEvents.stop(recorder);
        installer.uninstall(instrumentation);
        stopTriggered();
        closeTrace();
        if (mbean != null) {
            mbean.unregister();
        }
        System.setProperty(STATE_PROPERTY, "detached at " + Instant.now());
    }

    /**
     * Starts a fresh recording in place of the current one (counts back to zero); instrumentation stays. The old
     * recording is dropped whole, its listeners with it; connections open now are taken in by the new one when
     * next used, as after an attach.
     */
    public synchronized void reset() {
        Recorder fresh = newRecorder(false);
        if (SocketEvents.replace(recorder, fresh)) {
            recorder = fresh;
        }
    }

    /** A recording with its own listeners: Flight Recorder events if wanted, and the session's trace. */
    private Recorder newRecorder(boolean atStartUp) {
        RecorderSettings settings = new RecorderSettings(config.maxConnections(), config.maxEndpoints(),
                config.maxStacks(), config.stackDepth(), config.cycles(), config.reconnectWindowNanos(),
                config.stackRate(), config.closeWaitNanos());
        Recorder fresh = atStartUp ? new Recorder(settings) : Recorder.whileRunning(settings);
        if (config.jfr() && JfrEvents.available()) {
            fresh.addListener(new JfrEvents());
        }
        if (trace != null) {
            fresh.addListener(trace);
        }
        fresh.setTrigger(trigger);
        return fresh;
    }

    /**
     * The exit report and the signal, installed once per JVM (a handler cannot be taken back without leaving the
     * signal's default, which would kill the JVM); they act on whichever session is running, if any.
     */
    private static void installHooksOnce(AgentConfig config) {
        if (hooksInstalled) {
            return;
        }
        hooksInstalled = true;
        Runtime.getRuntime().addShutdownHook(AgentHealth.thread("socktrace-exit-report", "exit report", () -> {
            AgentRuntime runtime = current();
            if (runtime != null) {
                runtime.reporter.report("exit");
                runtime.closeTrace();
            }
        }));
        if (config.signal() != null) {
            ReportSignal.install(config.signal(), signal -> {
                try {
                    AgentRuntime runtime = current();
                    if (runtime != null) {
                        runtime.reporter.report("signal SIG" + signal);
                    }
                } catch (Throwable error) {
                    AgentHealth.failed("signal report", error);
                }
            });
        }
    }

    /**
     * The report file, checked now rather than at exit: a directory that does not exist or cannot be written is
     * said in one line, and reports go to standard error instead of being lost.
     */
    private static Path reportFile(String path) {
        if (path == null) {
            return null;
        }
        Path file = Path.of(path).toAbsolutePath();
        Path directory = file.getParent();
        String problem = directory == null || !java.nio.file.Files.isDirectory(directory) ? "no such directory"
                : !java.nio.file.Files.isWritable(directory) ? "directory not writable" : null;
        if (problem != null) {
            System.err.println("socktrace: cannot write reports to " + file + " (" + problem
                    + "); reports go to standard error instead");
            return null;
        }
        return file;
    }

    /** The event trace, or {@code null} when none is wanted or the file cannot be written (said in one line). */
    private static TraceWriter startTrace(String path) {
        if (path == null) {
            return null;
        }
        try {
            return TraceWriter.start(Path.of(path));
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("socktrace: cannot write the event trace to " + path + " (" + e
                    + "); recording without it");
            return null;
        }
    }

    private void stopTriggered() {
        if (triggered != null) {
            triggered.stop();
        }
    }

    private void closeTrace() {
        if (trace != null) {
            trace.close(TRACE_FLUSH_MILLIS);
        }
    }

    public Recorder recorder() {
        return recorder;
    }

    public Reporter reporter() {
        return reporter;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The options as given. */
    public String options() {
        return options;
    }

    /** The options in effect, defaults included. */
    public String effectiveOptions() {
        return config.describe();
    }

    public Installer installer() {
        return installer;
    }
}
