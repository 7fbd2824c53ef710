package io.socktrace.bench.probe;

import io.socktrace.bench.wire.Lifetime;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retained-heap workload: {@code THREADS} threads churn connections (connect, 64-byte request/response, close;
 * half through {@code Socket}, half through {@code SocketChannel}) to the echo server; at each checkpoint they stop,
 * the heap is collected, and it prints
 * {@code HEAP connections=N usedBytes=U agentBytes=A agentInstances=I seconds=S}: the heap in use after full
 * collections, and the shallow size of live {@code io.socktrace.agent} objects from a class histogram.
 *
 * <p>Usage: {@code HeapChurn THREADS CHECKPOINT[,CHECKPOINT...] MAX_SECONDS ECHO_PORT}. A checkpoint not reached
 * within the time is printed with {@code incomplete} and the connections actually made.
 */
public final class HeapChurn {

    private static final int MESSAGE = 64;

    private HeapChurn() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        String[] checkpoints = args[1].split(",");
        long maxSeconds = Long.parseLong(args[2]);
        InetSocketAddress echo = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[3]));
        Lifetime.exitWithParent(maxSeconds + 60);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(maxSeconds);
        AtomicLong tickets = new AtomicLong();
        AtomicLong made = new AtomicLong();
        for (String checkpoint : checkpoints) {
            long target = Long.parseLong(checkpoint);
            Thread[] churners = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                boolean channel = i % 2 == 1;
                churners[i] = new Thread(() -> churn(echo, channel, target, deadline, tickets, made), "churn-" + i);
                churners[i].start();
            }
            for (Thread churner : churners) {
                churner.join();
            }
            tickets.set(made.get());
            long used = LiveHeap.usedAfterGc();
            long[] agent = LiveHeap.agentObjects();
            System.out.printf("HEAP connections=%d usedBytes=%d agentBytes=%d agentInstances=%d seconds=%.1f%s%n",
                    made.get(), used, agent[0], agent[1], (System.nanoTime() - started) / 1e9,
                    made.get() < target ? " incomplete" : "");
            System.out.flush();
        }
    }

    private static void churn(InetSocketAddress echo, boolean channel, long target, long deadline,
                              AtomicLong tickets, AtomicLong made) {
        byte[] request = new byte[MESSAGE];
        byte[] response = new byte[MESSAGE];
        ByteBuffer requestBuffer = ByteBuffer.allocate(MESSAGE);
        ByteBuffer responseBuffer = ByteBuffer.allocate(MESSAGE);
        while (tickets.getAndIncrement() < target && System.nanoTime() < deadline) {
            try {
                if (channel) {
                    try (SocketChannel ch = SocketChannel.open(echo)) {
                        requestBuffer.clear();
                        while (requestBuffer.hasRemaining()) {
                            ch.write(requestBuffer);
                        }
                        responseBuffer.clear();
                        while (responseBuffer.hasRemaining() && ch.read(responseBuffer) >= 0) {
                            // until the echo is complete
                        }
                    }
                } else {
                    try (Socket socket = new Socket(echo.getAddress(), echo.getPort())) {
                        socket.getOutputStream().write(request);
                        InputStream in = socket.getInputStream();
                        for (int done = 0, n; done < MESSAGE && (n = in.read(response, done, MESSAGE - done)) > 0; ) {
                            done += n;
                        }
                    }
                }
                made.incrementAndGet();
            } catch (IOException e) {
                System.err.println("churn: " + e);
                return;
            }
        }
    }
}
