package io.socktrace.agent.analysis;

import java.util.Locale;

/** Durations as people read them in a report: {@code 0.2 ms}, {@code 1.000 s}, {@code 10m10s}. */
public final class Durations {

    private Durations() {
    }

    public static String format(long micros) {
        if (micros < 0) {
            return "-";
        }
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%d ms", Math.round(micros / 1_000.0));
        }
        if (micros < 60_000_000) {
            return String.format(Locale.ROOT, "%.3f s", micros / 1_000_000.0);
        }
        long seconds = micros / 1_000_000;
        long hours = seconds / 3600;
        return hours > 0
                ? String.format(Locale.ROOT, "%dh%02dm%02ds", hours, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    /** Median of the samples, -1 if there are none. */
    public static long median(long[] samples) {
        if (samples.length == 0) {
            return -1;
        }
        long[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}
