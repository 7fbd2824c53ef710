package io.socktrace.bench.suite;

import java.util.Locale;

/** A limit on one result, and the verdict with its margin. */
abstract class Budget {

    abstract String describe();

    abstract boolean met(double value);

    /** How far inside (positive) or outside (negative) the budget {@code value} is, in the budget's terms. */
    abstract String margin(double value);

    String verdict(double value) {
        if (Double.isNaN(value)) {
            return "no result";
        }
        return met(value) ? "met (" + margin(value) + ")" : "MISSED (" + margin(value) + ")";
    }

    /** Throughput with the agent over without: at least {@code minimum}. */
    static Budget ratioAtLeast(double minimum) {
        return new Budget() {
            @Override
            String describe() {
                return ">= " + minimum;
            }

            @Override
            boolean met(double ratio) {
                return ratio >= minimum;
            }

            @Override
            String margin(double ratio) {
                double points = (ratio - minimum) * 100;
                return String.format(Locale.ROOT, "%.1f points %s", Math.abs(points),
                        points >= 0 ? "to spare" : "short");
            }
        };
    }

    /** A quantity ({@code unit}) at most {@code maximum}. */
    static Budget atMost(double maximum, String unit, int decimals) {
        return new Budget() {
            @Override
            String describe() {
                return "<= " + Format.number(maximum, decimals) + " " + unit;
            }

            @Override
            boolean met(double value) {
                return value <= maximum;
            }

            @Override
            String margin(double value) {
                double left = maximum - value;
                return Format.number(Math.abs(left), decimals) + " " + unit + (left >= 0 ? " to spare" : " over");
            }
        };
    }
}
