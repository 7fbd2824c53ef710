package io.socktrace.agent.bootstrap;

/**
 * The bounds of a {@link Recorder}; each caps one retained structure, so the recorder's memory is bounded
 * whatever the application does.
 *
 * @param maxConnections     open connections tracked at once
 * @param maxEndpoints       endpoints with their own aggregate; the rest share one
 * @param maxStacks          distinct stacks stored
 * @param stackDepth         frames kept per stack
 * @param cycles             closed connections kept in full per endpoint
 * @param reconnectWindowNanos how soon after a close a new connection to the same endpoint counts as a reconnect
 * @param stackRate          stack captures per second at most, beyond which stacks are sampled; 0 for every stack
 */
public record RecorderSettings(int maxConnections, int maxEndpoints, int maxStacks, int stackDepth, int cycles,
                               long reconnectWindowNanos, int stackRate) {

    /** Settings that capture every stack. */
    public RecorderSettings(int maxConnections, int maxEndpoints, int maxStacks, int stackDepth, int cycles,
                            long reconnectWindowNanos) {
        this(maxConnections, maxEndpoints, maxStacks, stackDepth, cycles, reconnectWindowNanos, 0);
    }
}
