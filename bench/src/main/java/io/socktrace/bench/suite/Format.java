package io.socktrace.bench.suite;

import java.util.Locale;

/** Number formats of the tables. */
final class Format {

    private Format() {
    }

    /** {@code median (min..max)} with thousands separators and {@code decimals} places. */
    static String spread(Samples samples, int decimals) {
        if (samples.isEmpty()) {
            return "n/a";
        }
        return number(samples.median(), decimals) + " (" + number(samples.min(), decimals) + ".."
                + number(samples.max(), decimals) + ")";
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A ratio with the range of the per-pair ratios, which shows how stable it is. */
    static String ratioWithPairs(double ratio, Samples pairRatios) {
        if (pairRatios.isEmpty()) {
            return ratio(ratio);
        }
        return ratio(ratio) + " [" + ratio(pairRatios.min()) + ".." + ratio(pairRatios.max()) + "]";
    }
}
