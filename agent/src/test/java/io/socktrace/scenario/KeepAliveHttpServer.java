package io.socktrace.scenario;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 keep-alive server on 127.0.0.1, thread per connection: answers every request {@code 200} with a
 * {@code Content-Length} and {@code Connection: keep-alive}, and drops a connection that stays idle (no next
 * request) for {@link #IDLE_MILLIS} after a response, as real servers do. Threads are daemons.
 */
final class KeepAliveHttpServer implements AutoCloseable {

    /** How long a connection may sit idle between requests before the server drops it. */
    static final int IDLE_MILLIS = 300;
    /** The wait for a new connection's first request: generous, so a cold client JVM is never dropped by mistake. */
    private static final int FIRST_REQUEST_MILLIS = 5_000;

    private final ServerSocket server;
    private final AtomicInteger dropped = new AtomicInteger();

    KeepAliveHttpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits (at most {@code millis}) until the server has dropped {@code count} idle connections. */
    boolean awaitDropped(int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (dropped.get() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void accept() {
        for (int accepted = 0; accepted < 1_000; accepted++) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> serve(client), "http-conn-" + accepted);
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            client.setSoTimeout(FIRST_REQUEST_MILLIS);
            for (int served = 0; served < 1_000; served++) {
                String requestLine;
                try {
                    requestLine = readLine(in);
                } catch (SocketTimeoutException idle) {
                    dropIdleClient(client);
                    dropped.incrementAndGet();
                    return;
                }
                if (requestLine == null) {
                    client.close(); // the client closed first
                    return;
                }
                long contentLength = 0;
                for (String header; (header = readLine(in)) != null && !header.isEmpty(); ) {
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Long.parseLong(header.substring(15).trim());
                    }
                }
                in.skipNBytes(contentLength);
                byte[] body = ("hello " + served).getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                client.setSoTimeout(IDLE_MILLIS);
            }
        } catch (IOException e) {
            System.out.println("server error: " + e);
            try {
                client.close();
            } catch (IOException ignored) {
                // closing after an error; nothing more to do
            }
        }
    }

    /** The keep-alive timeout: the connection sat idle after a response for longer than {@link #IDLE_MILLIS}. */
    static void dropIdleClient(Socket client) throws IOException {
        client.close();
    }

    /** One CRLF- (or LF-) terminated line; {@code null} at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
