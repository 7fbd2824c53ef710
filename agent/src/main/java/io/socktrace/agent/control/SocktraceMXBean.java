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

    /** Connections the peer closed that this JVM still holds open {@code closeWait} or more later. */
    long getCloseWaitLeaks();

    /** CLOSE_WAIT leaks seen in this recording: those still open, and those closed late. */
    long getCloseWaitLeaksSeen();

    long getAgentErrors();

    long getInstrumentedClasses();

    /** The current report; {@code format} is {@code text}, {@code json} or {@code html}. */
    String report(String format);

    /** Starts counting afresh; the instrumentation stays. */
    void reset();
}
