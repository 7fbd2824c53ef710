package io.socktrace.agent.bootstrap;

/**
 * Receives connection events synchronously, on the thread where they happen (inside the JDK socket call), so an
 * implementation must be quick, never block and never throw; failures are contained by the recorder anyway.
 */
public interface ConnectionListener {

    /**
     * Whether events of this kind are wanted now; the recorder builds an event only when some listener wants it
     * (Flight Recorder events, for one, cost nothing while no recording runs).
     */
    default boolean wants(ConnectionEvent.Kind kind) {
        return true;
    }

    /** Returns false if the event was dropped (a full buffer); the recorder counts those. */
    boolean onEvent(ConnectionEvent event);
}
