package io.socktrace.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long run for {@code scripts/soak}: churns connections (connect, request, answer, close) on 8 threads for the
 * given minutes, with a read timeout every 100th connection, and prints once per interval the connections per
 * second and the heap used after a full GC, so flat memory and steady throughput can be seen. Bounded by time.
 * Arguments: minutes, seconds per interval.
 */
public final class Soak {

    public static void main(String[] args) throws Exception {
        long minutes = Long.parseLong(args[0]);
        long interval = Long.parseLong(args[1]);
        long end = System.nanoTime() + minutes * 60_000_000_000L;
        AtomicLong made = new AtomicLong();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (ModeServer server = new ModeServer(16)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread worker = new Thread(() -> {
                    for (long i = 0; System.nanoTime() < end; i++) {
                        boolean timeout = i % 100 == 42;
                        try (Socket socket = Client.connect(server.port())) {
                            socket.setSoTimeout(timeout ? 5 : 10_000);
                            Client.request(socket, timeout ? "s" : "a");
                        } catch (java.net.SocketTimeoutException expected) {
                            // one in a hundred, on purpose
                        } catch (java.io.IOException e) {
                            System.out.println("error: " + e);
                        }
                        made.incrementAndGet();
                    }
                }, "soak-" + t);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            System.out.println("elapsed_s connections per_second heap_after_gc_mb");
            long start = System.nanoTime();
            long last = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(interval * 1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                long now = made.get();
                System.gc();
                long heap = memory.getHeapMemoryUsage().getUsed();
                System.out.printf("%d %d %.0f %.1f%n", (System.nanoTime() - start) / 1_000_000_000L, now,
                        (now - last) / (double) interval, heap / 1048576.0);
                last = now;
            }
            for (Thread worker : workers) {
                worker.join(10_000);
            }
        }
    }
}
