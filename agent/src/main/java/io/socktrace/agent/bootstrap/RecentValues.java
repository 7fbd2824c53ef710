package io.socktrace.agent.bootstrap;

import java.util.Arrays;

/**
 * The last {@code capacity} values of a measurement, for medians that stay current in bounded memory. Starts
 * empty and doubles up to {@code capacity}, so that an endpoint with few samples costs few bytes; it only grows
 * before it first wraps, so each value sits where a full-size ring would put it. Not thread-safe.
 */
final class RecentValues {

    private static final long[] NONE = {};

    private final int capacity;
    private long[] values = NONE;
    private long count;

    RecentValues(int capacity) {
        this.capacity = capacity;
    }

    void add(long value) {
        if (count == values.length && count < capacity) {
            values = Arrays.copyOf(values, Math.min(capacity, Math.max(4, values.length * 2)));
        }
        values[(int) (count++ % values.length)] = value;
    }

    /** The retained values, oldest first not guaranteed. */
    long[] toArray() {
        return Arrays.copyOf(values, (int) Math.min(count, values.length));
    }
}
