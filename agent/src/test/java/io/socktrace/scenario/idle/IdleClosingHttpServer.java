package io.socktrace.scenario.idle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A keep-alive HTTP/1.1 server on loopback that closes a connection (FIN) once it has been idle {@code idleMillis}
 * after an answer, like a server or load balancer with an idle timeout. Answers every request head with
 * {@code 200 ok}; one thread per connection, bounded in connections and requests.
 */
final class IdleClosingHttpServer implements AutoCloseable {

    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
            + "Connection: keep-alive\r\n\r\nok").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int idleMillis;

    IdleClosingHttpServer(int idleMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.idleMillis = idleMillis;
        Thread acceptor = new Thread(this::accept, "idle-closing-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        for (int i = 0; i < 200; i++) {
            try {
                Socket client = server.accept();
                Thread serving = new Thread(() -> serve(client), "idle-closing-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException stopped) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(idleMillis);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < 1_000 && readHead(in); i++) {
                out.write(ANSWER);
                out.flush();
            }
        } catch (SocketTimeoutException idle) {
            // idle too long: the close above drops the client
        } catch (IOException gone) {
            // the client went away
        }
    }

    /** Reads one request head; false at end of stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int i = 0; i < 65_536; i++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        throw new IOException("request head too long");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
