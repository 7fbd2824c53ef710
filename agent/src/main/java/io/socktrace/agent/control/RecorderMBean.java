package io.socktrace.agent.control;

import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
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

    private long sum(java.util.function.ToLongFunction<EndpointSnapshot> field, Boolean accepted) {
        RecordingSnapshot snapshot = runtime.recorder().snapshot();
        long total = 0;
        for (EndpointSnapshot e : snapshot.endpoints()) {
            if (accepted == null || e.endpoint().accepted() == accepted) {
                total += field.applyAsLong(e);
            }
        }
        return total;
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
        return sum(EndpointSnapshot::opened, false);
    }

    @Override
    public long getAccepted() {
        return sum(EndpointSnapshot::opened, true);
    }

    @Override
    public long getClosed() {
        return sum(EndpointSnapshot::closed, null);
    }

    @Override
    public long getOpen() {
        return sum(EndpointSnapshot::open, null);
    }

    @Override
    public long getFailedConnects() {
        return sum(EndpointSnapshot::failedConnects, null);
    }

    @Override
    public long getReconnects() {
        return sum(EndpointSnapshot::reconnects, null);
    }

    @Override
    public long getAgentErrors() {
        return runtime.recorder().snapshot().agentErrors();
    }

    @Override
    public long getInstrumentedClasses() {
        return runtime.installer().transformed();
    }

    @Override
    public String report(String format) {
        return runtime.reporter().render("jmx", "json".equals(format) ? "json" : "text");
    }

    @Override
    public void reset() {
        runtime.reset();
    }
}
