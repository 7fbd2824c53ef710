package io.socktrace.agent.bootstrap;

import java.time.Instant;

/**
 * Monotonic time for durations and microsecond wall-clock time for humans, from one {@link System#nanoTime()}
 * read per event. The wall-clock base is taken once, so times in a report line up with each other exactly and
 * with a packet capture to within the drift of the system clock since start.
 */
public final class Clock {

    private static final long BASE_NANOS;
    private static final long BASE_EPOCH_MICROS;

    static {
        Instant now = Instant.now();
        BASE_NANOS = System.nanoTime();
        BASE_EPOCH_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private Clock() {
    }

    public static long nanos() {
        return System.nanoTime();
    }

    /** Converts a {@link #nanos()} reading to microseconds since the epoch. */
    public static long epochMicros(long nanos) {
        return BASE_EPOCH_MICROS + Math.floorDiv(nanos - BASE_NANOS, 1_000L);
    }
}
