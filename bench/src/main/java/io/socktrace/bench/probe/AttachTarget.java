package io.socktrace.bench.probe;

import io.socktrace.bench.wire.Lifetime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The JVM that {@code socktrace attach} is timed against: a small application with its socket classes loaded and
 * in use (so attaching must retransform live JDK classes), which connects to its own loopback server, sends one
 * byte, reads it back and closes, every 10 ms. Prints {@code ready} once it has made a first connection.
 *
 * <p>Usage: {@code AttachTarget MAX_SECONDS}.
 */
public final class AttachTarget {

    private AttachTarget() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Lifetime.exitWithParent(Long.parseLong(args[0]));
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread echo = new Thread(() -> serve(server), "target-server");
        echo.setDaemon(true);
        echo.start();
        boolean first = true;
        while (true) {
            try (Socket socket = new Socket(server.getInetAddress(), server.getLocalPort())) {
                socket.getOutputStream().write(1);
                socket.getInputStream().read();
            }
            if (first) {
                System.out.println("ready");
                System.out.flush();
                first = false;
            }
            Thread.sleep(10); // ends with the JVM: Lifetime halts it when the driver is done
        }
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                }
            } catch (IOException ignored) {
                // next client
            }
        }
    }
}
