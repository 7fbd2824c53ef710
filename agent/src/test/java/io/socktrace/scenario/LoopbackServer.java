package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A small line server on 127.0.0.1 (or ::1) for scenarios: for every line received it does what its {@link Behaviour}
 * says. Threads are daemons, so a scenario's JVM exits when its main method returns.
 */
final class LoopbackServer implements AutoCloseable {

    enum Behaviour {
        /** Answer every line with {@code ok}. */
        ANSWER,
        /** Answer the first line, then close the connection (the client sees end of stream). */
        ANSWER_THEN_CLOSE,
        /** Read lines and never answer (the client's read times out). */
        SILENT,
        /** Answer every line with the line itself. */
        ECHO,
        /** Read the first line, then reset the connection (SO_LINGER 0). */
        RESET
    }

    private final ServerSocket server;

    LoopbackServer(Behaviour behaviour) throws IOException {
        this(behaviour, InetAddress.getLoopbackAddress());
    }

    /** The same on another loopback address ({@code ::1}). */
    LoopbackServer(Behaviour behaviour, InetAddress loopback) throws IOException {
        server = new ServerSocket(0, 200, loopback);
        Thread acceptor = new Thread(() -> accept(behaviour), "scenario-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept(Behaviour behaviour) {
        for (int accepted = 0; accepted < 100_000; accepted++) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> serve(client, behaviour), "scenario-conn-" + accepted);
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket client, Behaviour behaviour) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1; ) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                if (behaviour == Behaviour.RESET) {
                    client.setSoLinger(true, 0);
                    return;
                }
                if (behaviour == Behaviour.ECHO) {
                    out.write((line + "\n").getBytes());
                } else if (behaviour != Behaviour.SILENT) {
                    out.write("ok\n".getBytes());
                }
                out.flush();
                line.setLength(0);
                if (behaviour == Behaviour.ANSWER_THEN_CLOSE) {
                    return;
                }
            }
        } catch (SocketException reset) {
            // the client went away mid-conversation: that is what some scenarios are about
        } catch (IOException e) {
            System.out.println("server error: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
