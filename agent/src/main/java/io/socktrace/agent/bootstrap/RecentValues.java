package io.socktrace.agent.bootstrap;

import java.util.Arrays;

/** The last {@code capacity} values of a measurement, for medians that stay current in bounded memory. Not thread-safe. */
final class RecentValues {

    private final long[] values;
    private long count;

    RecentValues(int capacity) {
        this.values = new long[capacity];
    }

    void add(long value) {
        values[(int) (count++ % values.length)] = value;
    }

    /** The retained values, oldest first not guaranteed. */
    long[] toArray() {
        return Arrays.copyOf(values, (int) Math.min(count, values.length));
    }
}
