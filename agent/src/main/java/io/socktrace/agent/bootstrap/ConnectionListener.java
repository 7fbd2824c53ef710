package io.socktrace.agent.bootstrap;

/**
 * Receives connection events synchronously, on the thread where they happen (inside the JDK socket call), so an
 * implementation must be quick, never block and never throw; failures are contained by the recorder anyway.
 */
public interface ConnectionListener {

    /** Returns false if the event was dropped (a full buffer); the recorder counts those. */
    boolean onEvent(ConnectionEvent event);
}
