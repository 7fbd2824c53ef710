package io.socktrace.bench.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The repeats of one measurement: median and spread, never a mean (one noisy run must not move the result). */
final class Samples {

    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    int size() {
        return values.size();
    }

    double get(int i) {
        return values.get(i);
    }

    double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return values.isEmpty() ? Double.NaN : Collections.min(values);
    }

    double max() {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }

    /** {@code value(i) / other.value(i)} for each pair run in the same round. */
    Samples ratiosTo(Samples baseline) {
        Samples ratios = new Samples();
        for (int i = 0; i < Math.min(size(), baseline.size()); i++) {
            ratios.add(get(i) / baseline.get(i));
        }
        return ratios;
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
