package io.socktrace.bench.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The start-up workload: {@code main} prints one line at once, then reads a file through NIO and opens and closes
 * one loopback connection (the first socket use, which with the agent waits for its instrumentation if that is
 * still being built in the background), and prints a second line; the driver times launch to each line.
 */
public final class StartupProbe {

    public static final String LINE = "startup-probe: main reached";
    public static final String SOCKET_LINE = "startup-probe: first file stream and connection done";

    private StartupProbe() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(LINE);
        System.out.flush();
        Path self = Path.of(StartupProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (InputStream in = Files.newInputStream(self)) {
            in.read();
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            accepted.getInputStream().read();
        }
        System.out.println(SOCKET_LINE);
        System.out.flush();
    }
}
