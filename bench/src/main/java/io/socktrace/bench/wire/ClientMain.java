package io.socktrace.bench.wire;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client JVM of one throughput run: {@code THREADS} threads (named {@code client-N}) repeat a {@link Workload}
 * for a warm-up, then for a fixed measured time (both timed from when every thread has completed its first
 * operation), and it prints one line,
 * {@code RESULT rate=R ops=N seconds=S allocPerOp=B}: operations per second summed over the threads, and bytes the
 * client threads allocated per operation while measured (which shows the agent's allocation per event).
 *
 * <p>Usage: {@code ClientMain WORKLOAD THREADS WARMUP_MS MEASURE_MS ECHO_PORT SILENT_PORT}.
 */
public final class ClientMain {

    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Workload workload = Workload.valueOf(args[0]);
        int threads = Integer.parseInt(args[1]);
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        long measureNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetSocketAddress echo = new InetSocketAddress(loopback, Integer.parseInt(args[4]));
        InetSocketAddress silent = new InetSocketAddress(loopback, Integer.parseInt(args[5]));

        // The clock starts once every thread has completed one operation: an agent that installs itself in the
        // background may hold the first socket operation until it is ready, and that wait must not eat the warm-up.
        MeasuredThread.Window window = new MeasuredThread.Window(threads);
        List<MeasuredThread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            MeasuredThread worker = new MeasuredThread("client-" + i, workload.open(echo, silent), window);
            workers.add(worker);
            worker.start();
        }
        if (!window.ready.await(60, TimeUnit.SECONDS)) {
            System.out.println("ERROR the first operations did not complete within 60 s");
            System.exit(1);
        }
        window.start = System.nanoTime() + warmupNanos;
        window.end = window.start + measureNanos;
        window.go.countDown();
        double rate = 0;
        long ops = 0;
        long allocated = 0;
        long longestNanos = 0;
        for (MeasuredThread worker : workers) {
            // bounded: every worker stops at the end of the measured time, plus one operation
            worker.join(TimeUnit.NANOSECONDS.toMillis(warmupNanos + measureNanos) + 30_000);
            if (worker.isAlive() || worker.failure != null) {
                System.out.println("ERROR " + worker.getName() + ": "
                        + (worker.failure != null ? worker.failure : "did not finish"));
                System.exit(1);
            }
            rate += worker.ops * 1e9 / worker.measuredNanos;
            ops += worker.ops;
            allocated += worker.allocatedBytes;
            longestNanos = Math.max(longestNanos, worker.measuredNanos);
        }
        System.out.println(String.format(Locale.ROOT, "RESULT rate=%.1f ops=%d seconds=%.3f allocPerOp=%.1f",
                rate, ops, longestNanos / 1e9, ops == 0 ? 0.0 : (double) allocated / ops));
    }

    /** Runs its operation until the end of the measured window, counting only what falls inside it. */
    private static final class MeasuredThread extends Thread {

        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        /** The measured window, shared by the threads: set once all are ready, published by {@code go}. */
        static final class Window {
            final CountDownLatch ready;
            final CountDownLatch go = new CountDownLatch(1);
            long start;
            long end;

            Window(int threads) {
                ready = new CountDownLatch(threads);
            }
        }

        private final Operation operation;
        private final Window window;
        long ops;
        long measuredNanos;
        long allocatedBytes;
        volatile Throwable failure;

        MeasuredThread(String name, Operation operation, Window window) {
            super(name);
            this.operation = operation;
            this.window = window;
        }

        @Override
        public void run() {
            try (Operation op = operation) {
                op.run();
                window.ready.countDown();
                window.go.await();
                long measureStart = window.start;
                long measureEnd = window.end;
                // one loop, one call site for warm-up and measurement: the stack an agent sees never changes at the
                // start of the window (a new stack there would cost a recompilation inside the measured time)
                long started = 0;
                long allocatedBefore = 0;
                long count = 0;
                boolean measuring = false;
                long now = System.nanoTime();
                while (now < measureEnd) {
                    op.run();
                    now = System.nanoTime();
                    if (measuring) {
                        count++;
                    } else if (now >= measureStart) {
                        measuring = true;
                        started = now;
                        allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                    }
                }
                allocatedBytes = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
                measuredNanos = now - started;
                ops = count;
            } catch (Throwable e) {
                failure = e;
                window.ready.countDown(); // never leave the main thread waiting for a thread that failed
            }
        }
    }
}
