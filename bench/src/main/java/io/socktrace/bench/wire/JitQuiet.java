package io.socktrace.bench.wire;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the JIT compiler to finish with the workload: its threads ({@code C1/C2 CompilerThread}, read from
 * {@code /proc/self/task}) must have used at most {@link #QUIET_TICKS} clock ticks of CPU over {@link #QUIET_NANOS}.
 * CPU time, not {@code CompilationMXBean}'s total: that grows only when a compilation completes, and one C2
 * compilation starved by busy threads on one CPU runs for seconds without completing. A stray small compilation (a
 * method called every 100 ms reaching its threshold) still counts as quiet.
 */
final class JitQuiet {

    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Clock ticks (usually 10 ms) of compiler CPU allowed within the quiet time. */
    static final long QUIET_TICKS = 2;
    private static final long POLL_MILLIS = 100;
    private static final Path TASKS = Path.of("/proc/self/task");

    private JitQuiet() {
    }

    /**
     * Returns when the compiler has been quiet and {@code earliest} has passed, or at {@code latest} (or at
     * {@code earliest} where the compiler threads cannot be read); returns the time it returned at
     * ({@link System#nanoTime()}).
     */
    static long await(long earliest, long latest) throws InterruptedException {
        Map<String, Long> lastTicks = new HashMap<>();
        ArrayDeque<long[]> busy = new ArrayDeque<>(); // {nanoTime, compiler ticks since the previous poll}
        long watchedSince = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now - latest >= 0) {
                return now;
            }
            long ticks = compilerTicksSincePrevious(lastTicks);
            if (ticks < 0) {
                if (now - earliest >= 0) {
                    return now;
                }
            } else {
                busy.addLast(new long[] {now, ticks});
                while (now - busy.peekFirst()[0] > QUIET_NANOS) {
                    busy.removeFirst();
                }
                long recent = 0;
                for (long[] poll : busy) {
                    recent += poll[1];
                }
                boolean quiet = now - watchedSince >= QUIET_NANOS && recent <= QUIET_TICKS;
                if (quiet && now - earliest >= 0) {
                    return now;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** CPU ticks the compiler threads used since the last call (all of them on the first); -1 if unreadable. */
    private static long compilerTicksSincePrevious(Map<String, Long> lastTicks) {
        long delta = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException threadEnded) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
                    continue;
                }
                // after the name: state, then fields 4..; utime and stime are fields 14 and 15
                String[] fields = stat.substring(close + 2).split(" ");
                long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                Long previous = lastTicks.put(task.getFileName().toString(), cpu);
                delta += cpu - (previous == null ? 0 : previous);
            }
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
        return delta;
    }
}
