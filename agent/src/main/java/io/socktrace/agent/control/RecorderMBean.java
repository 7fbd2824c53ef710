package io.socktrace.agent.control;

import io.socktrace.agent.analysis.CloseShapeTotals;
import io.socktrace.agent.analysis.Totals;
import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.Recorder;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** {@link SocktraceMXBean} over the running {@link AgentRuntime}. */
final class RecorderMBean implements SocktraceMXBean {

    static final String NAME = "socktrace:type=Recorder";

    private final AgentRuntime runtime;
    private final ObjectName name;

    private RecorderMBean(AgentRuntime runtime, ObjectName name) {
        this.runtime = runtime;
        this.name = name;
    }

    /** Registers the bean; returns null (after one line) if JMX is not available. */
    static RecorderMBean register(AgentRuntime runtime) {
        try {
            ObjectName name = new ObjectName(NAME);
            RecorderMBean bean = new RecorderMBean(runtime, name);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            return bean;
        } catch (Exception | LinkageError e) {
            System.err.println("socktrace: JMX bean not registered (" + e + ")");
            return null;
        }
    }

    void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (Exception e) {
            System.err.println("socktrace: JMX bean not unregistered (" + e + ")");
        }
    }

    /** How long one copy of the counters serves: a JMX client reads the attributes one getter at a time. */
    private static final long SCRAPE_NANOS = 200_000_000L;

    private Scrape last;

    /**
     * The totals of one scrape: the recorder's counters alone ({@link Recorder#counters}, no samples or cycles
     * copied), copied at most once per {@link #SCRAPE_NANOS} of one recording, so that the getters of one scrape
     * share one copy and agree with each other.
     */
    private synchronized Scrape scrape() {
        Recorder recorder = runtime.recorder();
        long now = System.nanoTime();
        if (last == null || last.recorder != recorder || now - last.nanos > SCRAPE_NANOS) {
            var counters = recorder.counters();
            last = new Scrape(recorder, now, Totals.of(counters), CloseShapeTotals.of(counters));
        }
        return last;
    }

    private Totals totals() {
        return scrape().totals;
    }

    private record Scrape(Recorder recorder, long nanos, Totals totals, CloseShapeTotals closeShapes) {
    }

    @Override
    public boolean isRecording() {
        return AgentRuntime.current() == runtime;
    }

    @Override
    public String getStartedAt() {
        return runtime.startedAt().toString();
    }

    @Override
    public String getOptions() {
        return runtime.effectiveOptions();
    }

    @Override
    public long getOpened() {
        return totals().opened();
    }

    @Override
    public long getAccepted() {
        return totals().accepted();
    }

    @Override
    public long getClosed() {
        return totals().closed();
    }

    @Override
    public long getOpen() {
        return totals().open();
    }

    @Override
    public long getFailedConnects() {
        return totals().failedConnects();
    }

    @Override
    public long getReconnects() {
        return totals().reconnects();
    }

    @Override
    public long getCloseWaitLeaks() {
        return scrape().closeShapes.closeWaits();
    }

    @Override
    public long getCloseWaitLeaksSeen() {
        return scrape().closeShapes.leaksSeen();
    }

    @Override
    public long getAgentErrors() {
        return AgentHealth.failures();
    }

    @Override
    public long getInstrumentedClasses() {
        return runtime.installer().transformed();
    }

    @Override
    public String report(String format) {
        return runtime.reporter().render("jmx", "json".equals(format) || "html".equals(format) ? format : "text");
    }

    @Override
    public void reset() {
        runtime.reset();
    }
}
