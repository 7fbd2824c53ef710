package io.socktrace.bench.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback sockets with both ends in this JVM, for the probes that measure what the agent keeps per socket. */
final class LoopbackSockets {

    /** File descriptors left for the JVM itself (jars, pipes, the GC's). */
    private static final long SPARE_FDS = 200;

    private LoopbackSockets() {
    }

    /** One warm connection, so that the first use (the agent's instrumentation, class loading) is paid before. */
    static void warmUp() throws IOException {
        List<Socket> sockets = holdOpen(1);
        closeAll(sockets);
    }

    /**
     * {@code count} listeners on ephemeral ports, one connection to each, accepted: every connection has its own
     * endpoint on both sides; everything closed again before it returns. All are open at once (3 fds each).
     */
    static void openAndCloseEndpoints(int count) throws IOException {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < count; i++) {
                ServerSocket listener = new ServerSocket(0, 1, loopback);
                open.add(listener);
                open.add(new Socket(loopback, listener.getLocalPort()));
                open.add(listener.accept());
            }
        } finally {
            closeAll(open);
        }
    }

    /** {@code count} connections to one listener, both ends kept open (the listener is closed); 2 fds each. */
    static List<Socket> holdOpen(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>(2 * count);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 50, loopback)) {
            for (int i = 0; i < count; i++) {
                sockets.add(new Socket(loopback, listener.getLocalPort()));
                sockets.add(listener.accept());
            }
        } catch (IOException | RuntimeException e) {
            closeAll(sockets);
            throw e;
        }
        return sockets;
    }

    /** How many of {@code wanted} items of {@code fdsEach} descriptors fit under the open-files limit. */
    static int fitting(int wanted, int fdsEach) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - SPARE_FDS;
            return (int) Math.max(1, Math.min(wanted, free / fdsEach));
        }
        return wanted;
    }

    static void closeAll(List<? extends AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is all that is left to do
            }
        }
    }
}
