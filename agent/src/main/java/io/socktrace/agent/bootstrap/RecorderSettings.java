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
 * @param closeWaitNanos     how long after the peer closed (end of stream read) a connection still open is a
 *                           CLOSE_WAIT leak
 */
public record RecorderSettings(int maxConnections, int maxEndpoints, int maxStacks, int stackDepth, int cycles,
                               long reconnectWindowNanos, int stackRate, long closeWaitNanos) {

    /** The default {@code closeWait}: 10 s. */
    public static final long CLOSE_WAIT_NANOS = 10_000_000_000L;

    /** Settings with the default {@code closeWait}. */
    public RecorderSettings(int maxConnections, int maxEndpoints, int maxStacks, int stackDepth, int cycles,
                            long reconnectWindowNanos, int stackRate) {
        this(maxConnections, maxEndpoints, maxStacks, stackDepth, cycles, reconnectWindowNanos, stackRate,
                CLOSE_WAIT_NANOS);
    }

    /**
     * Stack captures per endpoint a second at most, a tenth of {@code stackRate} (which bounds all endpoints
     * together): one churning endpoint cannot take every capture from a quiet one. 0 for every stack.
     */
    public int endpointStackRate() {
        return stackRate == 0 ? 0 : Math.max(1, stackRate / 10);
    }

    /** Settings that capture every stack. */
    public RecorderSettings(int maxConnections, int maxEndpoints, int maxStacks, int stackDepth, int cycles,
                            long reconnectWindowNanos) {
        this(maxConnections, maxEndpoints, maxStacks, stackDepth, cycles, reconnectWindowNanos, 0);
    }
}
