package io.socktrace.bench.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The server side of the throughput workloads, always in its own JVM without the agent. Listens on loopback on
 * two ports: an echo port (each 64-byte request answered with itself, until the client closes) and a silent port
 * (accepts, reads, never answers: the read-timeout workload). Prints {@code ports ECHO SILENT} once listening.
 *
 * <p>Usage: {@code EchoServer THREADS MAX_SECONDS}. A fixed set of threads each accept and serve one connection
 * at a time, so churn costs no thread creation on the server.
 */
public final class EchoServer {

    private EchoServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int threads = Integer.parseInt(args[0]);
        long maxSeconds = Long.parseLong(args[1]);
        Lifetime.exitWithParent(maxSeconds);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket echo = new ServerSocket(0, 4096, loopback);
        ServerSocket silent = new ServerSocket(0, 64, loopback);
        for (int i = 0; i < threads; i++) {
            start("echo-" + i, () -> acceptLoop(echo, true));
        }
        for (int i = 0; i < 2; i++) {
            start("silent-" + i, () -> acceptLoop(silent, false));
        }
        System.out.println("ports " + echo.getLocalPort() + " " + silent.getLocalPort());
        System.out.flush();
        Thread.currentThread().join(); // serve until the driver closes standard input or the lifetime ends
    }

    private static void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void acceptLoop(ServerSocket server, boolean answer) {
        byte[] buffer = new byte[Message.SIZE];
        while (true) {
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (Message.readFully(in, buffer)) {
                    if (answer) {
                        out.write(buffer);
                    }
                }
            } catch (IOException clientWentAway) {
                // a reset or a closed listener; serve the next one
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }
}
