package io.socktrace.scenario;

import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java.net.Socket} on virtual threads (JDK 21+, called reflectively: this code is compiled for 17):
 * {@code clients} virtual threads each connect, make one request and close; one more virtual thread's read
 * times out ({@code SO_TIMEOUT} {@value #SO_TIMEOUT_MILLIS} ms) against a silent server, and it closes.
 */
public final class VirtualThreadSockets {

    static final int SO_TIMEOUT_MILLIS = 200;

    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger virtual = new AtomicInteger();
        try (LoopbackServer answering = new LoopbackServer(LoopbackServer.Behaviour.ANSWER);
             LoopbackServer silent = new LoopbackServer(LoopbackServer.Behaviour.SILENT)) {
            System.out.println("port=" + answering.port());
            System.out.println("silentPort=" + silent.port());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                threads.add(startVirtual(() -> {
                    countVirtual(virtual);
                    try (Socket socket = Client.connect(answering.port())) {
                        if ("ok".equals(Client.request(socket))) {
                            answered.incrementAndGet();
                        }
                    } catch (Exception e) {
                        System.out.println("error: " + e);
                    }
                }));
            }
            threads.add(startVirtual(() -> {
                countVirtual(virtual);
                try {
                    Socket socket = Client.connect(silent.port());
                    socket.setSoTimeout(SO_TIMEOUT_MILLIS);
                    try {
                        Client.request(socket);
                    } catch (SocketTimeoutException expected) {
                        timeouts.incrementAndGet();
                        giveUp(socket);
                    }
                } catch (Exception e) {
                    System.out.println("error: " + e);
                }
            }));
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
        System.out.println("virtual=" + virtual.get());
        System.out.println("answered=" + answered.get());
        System.out.println("timeouts=" + timeouts.get());
    }

    /** {@code Thread.ofVirtual().start(task)}; virtual threads are always daemons. */
    private static Thread startVirtual(Runnable task) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        return (Thread) start.invoke(builder, task);
    }

    private static void countVirtual(AtomicInteger virtual) {
        try {
            if ((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread())) {
                virtual.incrementAndGet();
            }
        } catch (ReflectiveOperationException e) {
            System.out.println("error: " + e);
        }
    }

    static void giveUp(Socket socket) throws Exception {
        socket.close();
    }
}
