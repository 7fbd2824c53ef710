package io.socktrace.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounds what stack capture costs when connections churn. While events come slower than the rate, every one has its
 * stack captured; above it, each with probability {@code 1/k}, with {@code k} set every window from the previous
 * window's events, and never more than the rate allows within a window. At random rather than every k-th, so that
 * a regular pattern (connect, close, connect, close) cannot alias with the sampling and hide one kind of event.
 * Only stacks are sampled: every count (opens, closes, causes, reconnects) stays exact.
 *
 * <p>Windows are a second long, so that a burst (a pool opening dozens of connections at once) within the rate
 * keeps all its stacks. Two kinds are in use: the recording's ({@code stackRate}) and each endpoint's, a tenth of
 * it, so that one endpoint's burst fills a tenth of the recording's window at most. An event asks its endpoint's
 * sampler first ({@link #offer}), then the recording's ({@link #sample}), and only a capture the recording allowed
 * takes from the endpoint's budget ({@link #took}): events the recording turned away must not use up an endpoint's
 * window. Fields, not atomic objects: there is one of these per endpoint.
 */
final class StackSampler {

    static final long WINDOW_NANOS = 1_000_000_000L;

    private static final VarHandle EVENTS;
    private static final VarHandle TAKEN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EVENTS = lookup.findVarHandle(StackSampler.class, "events", long.class);
            TAKEN = lookup.findVarHandle(StackSampler.class, "taken", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long windowNanos;
    /** Captures allowed per window; 0 when every stack is captured. */
    private final long perWindow;
    @SuppressWarnings("unused") // through EVENTS
    private volatile long events;
    @SuppressWarnings("unused") // through TAKEN
    private volatile long taken;
    private volatile long windowEnd;
    private volatile long interval = 1;

    /** @param perSecond stack captures per second at most; 0 captures every stack */
    private StackSampler(int perSecond, long windowNanos) {
        this.windowNanos = windowNanos;
        this.perWindow = perSecond == 0 ? 0 : Math.max(1, perSecond * windowNanos / 1_000_000_000L);
        this.windowEnd = Clock.nanos() + windowNanos;
    }

    /** {@code perSecond} at most (1 or more; 0 captures every stack). */
    static StackSampler perSecond(int perSecond) {
        return new StackSampler(perSecond, WINDOW_NANOS);
    }

    /** Whether this event's stack is to be captured; takes from the budget if so. */
    boolean sample() {
        return offer() && (perWindow == 0 || (long) TAKEN.getAndAdd(this, 1L) < perWindow);
    }

    /** Whether this event may have its stack captured, leaving the budget to {@link #took}. */
    boolean offer() {
        if (perWindow == 0) {
            return true;
        }
        if (Clock.nanos() - windowEnd >= 0) {
            roll();
        }
        EVENTS.getAndAdd(this, 1L);
        long k = interval;
        return (k == 1 || ThreadLocalRandom.current().nextLong(k) == 0) && (long) TAKEN.getVolatile(this) < perWindow;
    }

    /** A stack this sampler offered was captured. */
    void took() {
        if (perWindow != 0) {
            TAKEN.getAndAdd(this, 1L);
        }
    }

    /** Starts the next window, sampling one in {@code k} so that the last window's events would fit the rate. */
    private synchronized void roll() {
        long now = Clock.nanos();
        if (now - windowEnd < 0) {
            return; // another thread rolled it
        }
        long seen = (long) EVENTS.getAndSet(this, 0L);
        TAKEN.setVolatile(this, 0L);
        interval = Math.max(1, (seen + perWindow - 1) / perWindow);
        windowEnd = now + windowNanos;
    }
}
