package io.socktrace.scenario;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Four closers that a stack keyed by class and bytecode index alone would merge: two methods invoked by
 * reflection from one call site, and two lambdas run by one executor thread. Each pair has identical bytecode,
 * so each closes its socket at the same bytecode index ({@code javap -c -p} shows it). Each closer prints
 * {@code closer.METHOD=LINE}, the line of its close.
 */
public final class FourClosers {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (String name : new String[] {"reflectedA", "reflectedB"}) {
                Socket socket = Client.connect(server.port());
                Client.request(socket);
                Method closer = FourClosers.class.getDeclaredMethod(name, Socket.class);
                closer.invoke(null, socket); // one call site for both
            }
            ExecutorService executor = Executors.newSingleThreadExecutor();
            Socket first = Client.connect(server.port());
            Socket second = Client.connect(server.port());
            Client.request(first);
            Client.request(second);
            executor.submit(() -> {
                mark();
                closeQuietly(first);
            }).get();
            executor.submit(() -> {
                mark();
                closeQuietly(second);
            }).get();
            executor.shutdown();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            Thread.sleep(200); // the server sees the closes
        }
    }

    static void reflectedA(Socket socket) throws IOException {
        mark();
        socket.close();
    }

    static void reflectedB(Socket socket) throws IOException {
        mark();
        socket.close();
    }

    /** Lambdas close through here, so that the lambda frames differ by method only. */
    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints the caller's method and the line after the call: where it closes. */
    private static void mark() {
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow();
        int line = caller.getLineNumber() + 1;
        System.out.println("closer." + caller.getMethodName() + "=" + line);
    }
}
