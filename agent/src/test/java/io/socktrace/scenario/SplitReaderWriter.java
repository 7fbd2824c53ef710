package io.socktrace.scenario;

import java.net.Socket;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread writes the request, another reads the answer, as clients with a reader thread (or a selector) do:
 * {@code connections} times, connect, start a reader blocked in {@code read}, write one request line, take the
 * answer from the reader, close. Every request is answered before the close. The loopback server answers in
 * microseconds, so the reader can return with the answer before the writer's {@code write} call has returned.
 * A few busy threads ({@code CPUs - 1}, at least 1, at most 3) contend for the CPUs, which makes that ordering
 * frequent (on a machine with many idle CPUs it is rarer); they stop with the loop, or after 20 s at most.
 */
public final class SplitReaderWriter {

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int busyThreads = Math.min(3, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        for (int i = 0; i < busyThreads; i++) {
            Thread busy = new Thread(() -> {
                long spins = 0;
                while (!stop.get() && ((++spins & 0xFFFF) != 0 || System.nanoTime() < deadline)) {
                    Thread.onSpinWait();
                }
            }, "busy-" + i);
            busy.setDaemon(true);
            busy.start();
        }
        int answered = 0;
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < connections; i++) {
                Socket socket = Client.connect(server.port());
                SynchronousQueue<String> answer = new SynchronousQueue<>();
                Thread reader = new Thread(() -> {
                    try {
                        answer.offer(String.valueOf(Client.readLine(socket.getInputStream())), 5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        System.out.println("error: " + e);
                    }
                }, "reader-" + i);
                reader.setDaemon(true);
                reader.start();
                Thread.sleep(1); // let the reader block in read first
                socket.getOutputStream().write("request\n".getBytes());
                if ("ok".equals(answer.poll(5, TimeUnit.SECONDS))) {
                    answered++;
                }
                socket.close();
            }
        } finally {
            stop.set(true);
        }
        System.out.println("answered=" + answered);
    }
}
