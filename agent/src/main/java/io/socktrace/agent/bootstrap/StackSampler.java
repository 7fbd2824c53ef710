package io.socktrace.agent.bootstrap;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds what stack capture costs when connections churn. While connects and closes come slower than the rate,
 * every one has its stack captured; above it, each with probability {@code 1/k}, with {@code k} set every 100 ms
 * from the previous window's events, and never more than the rate allows within a window. At random rather than
 * every k-th, so that a regular pattern (connect, close, connect, close) cannot alias with the sampling and hide
 * one kind of event. Only stacks are sampled: every count (opens, closes, causes, reconnects) stays exact.
 */
final class StackSampler {

    private static final long WINDOW_NANOS = 100_000_000L;

    /** Captures allowed per window; 0 when every stack is captured. */
    private final long perWindow;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final LongAdder skipped = new LongAdder();
    private volatile long windowEnd;
    private volatile long interval = 1;

    /** @param perSecond stack captures per second at most (10 or more); 0 captures every stack */
    StackSampler(int perSecond) {
        this.perWindow = perSecond == 0 ? 0 : Math.max(1, perSecond * WINDOW_NANOS / 1_000_000_000L);
        this.windowEnd = Clock.nanos() + WINDOW_NANOS;
    }

    /** Whether this event's stack is to be captured. */
    boolean sample() {
        if (perWindow == 0) {
            return true;
        }
        if (Clock.nanos() - windowEnd >= 0) {
            roll();
        }
        events.getAndIncrement();
        long k = interval;
        if ((k == 1 || ThreadLocalRandom.current().nextLong(k) == 0) && taken.getAndIncrement() < perWindow) {
            return true;
        }
        skipped.increment();
        return false;
    }

    /** Starts the next window, sampling one in {@code k} so that the last window's events would fit the rate. */
    private synchronized void roll() {
        long now = Clock.nanos();
        if (now - windowEnd < 0) {
            return; // another thread rolled it
        }
        long seen = events.getAndSet(0);
        taken.set(0);
        interval = Math.max(1, (seen + perWindow - 1) / perWindow);
        windowEnd = now + WINDOW_NANOS;
    }

    /** Events whose stack was not captured. */
    long skipped() {
        return skipped.sum();
    }
}
