package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback server for load scenarios, served by a fixed pool of daemon threads (so that hundreds of thousands
 * of connections do not mean as many threads). Each connection's first line says what to do: {@code a} answer,
 * {@code c} answer then close first (the client reads end of stream), {@code s} stay silent (the client's read
 * times out). The server then waits for the client to close.
 */
final class ModeServer implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService handlers;

    ModeServer(int handlerThreads) throws IOException {
        server = new ServerSocket(0, 500, InetAddress.getLoopbackAddress());
        handlers = Executors.newFixedThreadPool(handlerThreads, task -> {
            Thread thread = new Thread(task, "mode-server");
            thread.setDaemon(true);
            return thread;
        });
        Thread acceptor = new Thread(this::acceptLoop, "mode-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) { // ends when the server is closed
            try {
                Socket socket = server.accept();
                handlers.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String mode = Client.readLine(in);
            if (mode == null) {
                return;
            }
            if (!mode.equals("s")) {
                socket.getOutputStream().write("ok\n".getBytes());
            }
            if (!mode.equals("c")) {
                in.read(); // until the client closes
            }
        } catch (IOException gone) {
            // the client went away: nothing to serve
        }
    }

    /** Stops accepting and waits (bounded) until every connection has been closed on this side too. */
    @Override
    public void close() throws IOException {
        server.close();
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
