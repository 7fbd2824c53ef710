package io.socktrace.agent.control;

/**
 * The agent in JMX ({@code socktrace:type=Recorder}), for JConsole, VisualVM or any JMX client: counters as
 * attributes, the report and a reset as operations. Registered in the platform MBean server; the agent itself
 * opens no JMX port.
 */
public interface SocktraceMXBean {

    boolean isRecording();

    /** ISO-8601 instant recording started. */
    String getStartedAt();

    String getOptions();

    long getOpened();

    long getAccepted();

    long getClosed();

    long getOpen();

    long getFailedConnects();

    long getReconnects();

    long getAgentErrors();

    long getInstrumentedClasses();

    /** The current report; {@code format} is {@code text}, {@code json} or {@code html}. */
    String report(String format);

    /** Starts counting afresh; the instrumentation stays. */
    void reset();
}
