package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOptions;

/**
 * The only entry points of the woven advice. Each method is safe to call from any JDK socket method: it returns
 * at once when recording is off, and contains every failure (counted in the recorder) so that nothing reaches
 * the application.
 *
 * <p>The {@code *Start} methods return a {@link Clock#nanos()} reading, or 0 when recording is off, which the
 * matching {@code *End} method receives back; a 0 start means "not recording" and the end does nothing, so an
 * operation that began before recording started is never half-recorded.
 */
public final class SocketEvents {

    private static volatile Recorder recorder;

    private SocketEvents() {
    }

    /** Starts recording into {@code newRecorder}; returns false if a recorder is already installed. */
    public static synchronized boolean start(Recorder newRecorder) {
        if (recorder != null) {
            return false;
        }
        recorder = newRecorder;
        return true;
    }

    /** The active recorder, or {@code null} when not recording. */
    public static Recorder recorder() {
        return recorder;
    }

    public static long start() {
        return recorder != null ? Clock.nanos() : 0L;
    }

    /**
     * A connect returned or failed.
     *
     * @param socket    the socket implementation, the connection's identity for later events
     * @param localPort the local port after the connect (0 if it failed)
     */
    public static void connectEnd(Object socket, SocketAddress remote, int localPort, long startNanos, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || !(remote instanceof InetSocketAddress)) {
            return;
        }
        try {
            InetSocketAddress target = (InetSocketAddress) remote;
            if (thrown != null) {
                r.connectFailed(target, startNanos, thrown);
            } else {
                r.connected(socket, target, localAddress(socket), localPort, startNanos);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    private static InetAddress localAddress(Object socket) {
        if (socket instanceof SocketOptions) {
            try {
                Object bound = ((SocketOptions) socket).getOption(SocketOptions.SO_BINDADDR);
                return bound instanceof InetAddress ? (InetAddress) bound : null;
            } catch (Exception closedAlready) {
                return null;
            }
        }
        return null;
    }

    /** A read returned {@code n} bytes (-1 at end of stream) or threw. The hot path. */
    public static void readEnd(Object socket, long startNanos, int n, Throwable thrown, int soTimeoutMillis) {
        Recorder r = recorder;
        if (r == null || startNanos == 0) {
            return;
        }
        try {
            if (thrown == null) {
                r.read(socket, n);
            } else {
                r.readFailed(socket, startNanos, thrown, soTimeoutMillis);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** A write of {@code n} bytes returned or threw. The hot path. */
    public static void writeEnd(Object socket, int n, Throwable thrown) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            if (thrown == null) {
                r.written(socket, n);
            } else {
                r.writeFailed(socket, thrown);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** A close is starting; whichever layer it came through, only the first for a connection counts. */
    public static void close(Object socket) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.closing(socket);
        } catch (Throwable error) {
            r.failed(error);
        }
    }
}
