package io.socktrace.bench.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds a helper JVM's life: it exits when the driver that started it closes its standard input (or dies),
 * and in any case after {@code maxSeconds}, so nothing the suite starts can outlive it for long.
 */
public final class Lifetime {

    private Lifetime() {
    }

    public static void exitWithParent(long maxSeconds) {
        Thread stdin = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the driver never writes; only the end of the stream matters
                }
            } catch (IOException ignored) {
                // a broken pipe means the driver is gone too
            }
            Runtime.getRuntime().halt(0);
        }, "exit-with-parent");
        stdin.setDaemon(true);
        stdin.start();
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
            } catch (InterruptedException ignored) {
                return;
            }
            System.err.println("exiting after the maximum lifetime of " + maxSeconds + " s");
            Runtime.getRuntime().halt(3);
        }, "max-lifetime");
        deadline.setDaemon(true);
        deadline.start();
    }
}
