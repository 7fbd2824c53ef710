package io.socktrace.bench.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The echo server of the one-JVM workloads, in the client's JVM so that the agent records the accepted side too:
 * a plain {@code ServerSocket} accept loop that starts one new thread per accepted connection, as simple servers
 * do (so churn pays a thread start per connection on the server, with and without the agent alike). Its threads
 * are daemons and not named {@code client-N}: the client's allocation figures stay the client threads' own.
 */
final class LocalEchoServer {

    private static InetSocketAddress address;

    private LocalEchoServer() {
    }

    /** The server's address, started on first use (once per JVM; it lives as long as the client JVM). */
    static synchronized InetSocketAddress address() throws IOException {
        if (address == null) {
            ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> acceptLoop(server), "local-echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            address = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }
        return address;
    }

    private static void acceptLoop(ServerSocket server) {
        AtomicLong served = new AtomicLong();
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> echo(socket), "local-echo-" + served.incrementAndGet());
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                // a connection reset before it was accepted; accept the next one
            }
        }
    }

    /** Answers each 64-byte request with itself until the client closes. */
    private static void echo(Socket socket) {
        byte[] buffer = new byte[Message.SIZE];
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (Message.readFully(in, buffer)) {
                out.write(buffer);
            }
        } catch (IOException clientWentAway) {
            // a reset: this connection is done
        }
    }
}
