package io.socktrace.bench.suite;

import java.util.Locale;

/** One line on standard error per step, with the elapsed time, so a long run shows where it is. */
final class Progress {

    private final long started = System.nanoTime();

    void say(String what) {
        System.err.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
