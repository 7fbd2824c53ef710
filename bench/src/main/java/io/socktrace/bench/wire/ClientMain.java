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
 * through a warm-up, then for a fixed measured time, and it prints one line,
 * {@code RESULT rate=R ops=N seconds=S allocPerOp=B warmup=W}: operations per second summed over the threads, bytes
 * the client threads allocated per operation while measured (which shows the agent's allocation per event), and
 * the seconds of warm-up.
 *
 * <p>The warm-up starts once every thread has completed one operation, lasts at least {@code WARMUP_MS}, and then
 * goes on until the JIT compiler has been quiet for {@link JitQuiet#QUIET_NANOS} (at most {@code MAX_WARMUP_MS}):
 * on one CPU shared with many busy threads the compiler gets a small share of it, and a fixed warm-up would compare
 * a JVM still compiling with one that has finished. The same rule for every variant: each is measured compiled.
 *
 * <p>The blocking workloads run on threads of this class; the Netty ones on one event loop thread per connection
 * (also named {@code client-N}), whose handler counts the same way ({@link NettyEpoll}).
 *
 * <p>Usage: {@code ClientMain WORKLOAD THREADS WARMUP_MS MEASURE_MS ECHO_PORT SILENT_PORT [MAX_WARMUP_MS]}
 * (without {@code MAX_WARMUP_MS}, the warm-up is exactly {@code WARMUP_MS}).
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

        long maxWarmupNanos = args.length > 6 ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[6])) : warmupNanos;

        // The warm-up starts once every thread has completed one operation: an agent that installs itself in the
        // background may hold the first socket operation until it is ready, and that wait must not eat the warm-up.
        Window window = new Window(threads);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = workload.worker("client-" + i, echo, silent, window);
            workers.add(worker);
            worker.start();
        }
        if (!window.ready.await(60, TimeUnit.SECONDS)) {
            System.out.println("ERROR the first operations did not complete within 60 s");
            System.exit(1);
        }
        long warmupStart = System.nanoTime();
        window.go.countDown();
        long measureStart = JitQuiet.await(warmupStart + warmupNanos, warmupStart + maxWarmupNanos);
        window.span = new Span(measureStart, measureStart + measureNanos);
        double rate = 0;
        long ops = 0;
        long allocated = 0;
        long longestNanos = 0;
        for (Worker worker : workers) {
            // bounded: every worker stops at the end of the measured time, plus one operation
            boolean ended = worker.await(TimeUnit.NANOSECONDS.toMillis(measureNanos) + 30_000);
            if (!ended || worker.failure() != null) {
                System.out.println("ERROR " + worker.name() + ": "
                        + (worker.failure() != null ? worker.failure() : "did not finish"));
                System.exit(1);
            }
            rate += worker.ops() * 1e9 / worker.measuredNanos();
            ops += worker.ops();
            allocated += worker.allocatedBytes();
            longestNanos = Math.max(longestNanos, worker.measuredNanos());
        }
        System.out.println(String.format(Locale.ROOT,
                "RESULT rate=%.1f ops=%d seconds=%.3f allocPerOp=%.1f warmup=%.1f", rate, ops, longestNanos / 1e9,
                ops == 0 ? 0.0 : (double) allocated / ops, (measureStart - warmupStart) / 1e9));
    }

    /** When the workers measure: set by the main thread once warmed up. */
    record Span(long start, long end) {
    }

    /** Shared by the workers: each counts {@code ready} down after its first operation, {@code go} starts the
     * warm-up, {@code span} ends it. */
    static final class Window {
        final CountDownLatch ready;
        final CountDownLatch go = new CountDownLatch(1);
        volatile Span span;

        Window(int threads) {
            ready = new CountDownLatch(threads);
        }
    }

    /** One connection's share of a run, on its own thread: started, awaited, then its counts. */
    interface Worker {

        String name();

        void start();

        /** Waits at most {@code millis} for the worker to end; false if it has not. */
        boolean await(long millis) throws InterruptedException;

        /** Why it stopped early, or {@code null}. */
        Throwable failure();

        long ops();

        long measuredNanos();

        long allocatedBytes();
    }

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A blocking workload's thread (see {@link Workload#worker}). */
    static Worker thread(String name, Operation operation, Window window) {
        return new MeasuredThread(name, operation, window);
    }

    /** Runs its operation until the end of the measured window, counting only what falls inside it. */
    private static final class MeasuredThread extends Thread implements Worker {

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
        public String name() {
            return getName();
        }

        @Override
        public boolean await(long millis) throws InterruptedException {
            join(millis);
            return !isAlive();
        }

        @Override
        public Throwable failure() {
            return failure;
        }

        @Override
        public long ops() {
            return ops;
        }

        @Override
        public long measuredNanos() {
            return measuredNanos;
        }

        @Override
        public long allocatedBytes() {
            return allocatedBytes;
        }

        @Override
        public void run() {
            try (Operation op = operation) {
                op.run();
                window.ready.countDown();
                window.go.await();
                // one loop, one call site for warm-up and measurement: the stack an agent sees never changes at the
                // start of the window (a new stack there would cost a recompilation inside the measured time)
                long started = 0;
                long end = 0;
                long allocatedBefore = 0;
                long count = 0;
                boolean measuring = false;
                long now;
                while (true) {
                    op.run();
                    now = System.nanoTime();
                    if (measuring) {
                        count++;
                        if (now >= end) {
                            break;
                        }
                    } else {
                        Span span = window.span;
                        if (span != null && now >= span.start()) {
                            measuring = true;
                            started = now;
                            end = span.end();
                            allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                        }
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
