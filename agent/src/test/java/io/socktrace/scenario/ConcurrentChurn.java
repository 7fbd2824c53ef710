package io.socktrace.scenario;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code threads} threads each open, use and close {@code perThread} connections to one server, concurrently. */
public final class ConcurrentChurn {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int perThread = Integer.parseInt(args[1]);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try (Socket socket = Client.connect(server.port())) {
                            if ("ok".equals(Client.request(socket))) {
                                completed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            System.out.println("error: " + e);
                        }
                    }
                }, "churn-" + t);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join(60_000);
            }
        }
        System.out.println("completed=" + completed.get());
        System.out.println("failed=" + failed.get());
    }
}
