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
 * <p>{@link #start()} returns a {@link Clock#nanos()} reading, or 0 when recording is off, which the matching
 * {@code *End} method receives back; a 0 start means "not recording" and the end does nothing, so an operation
 * that began before recording started is never half-recorded.
 *
 * <p>Addresses that are not {@link InetSocketAddress} (Unix domain sockets) are ignored: socktrace records TCP.
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

    /** Stops recording into {@code current} (if it is the active recorder); advice returns at once from now on. */
    public static synchronized void stop(Recorder current) {
        if (recorder == current) {
            recorder = null;
        }
    }

    /** Replaces the active recorder with a fresh one (a reset); returns false if {@code current} is not active. */
    public static synchronized boolean replace(Recorder current, Recorder fresh) {
        if (recorder != current) {
            return false;
        }
        recorder = fresh;
        return true;
    }

    /** The active recorder, or {@code null} when not recording. */
    public static Recorder recorder() {
        return recorder;
    }

    public static long start() {
        return recorder != null ? Clock.nanos() : 0L;
    }

    /** {@code NioSocketImpl.connect} returned or failed; {@code localPort} is 0 if it failed. */
    public static void connectEnd(Object socket, SocketAddress remote, int localPort, long startNanos, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || !(remote instanceof InetSocketAddress)) {
            return;
        }
        try {
            InetSocketAddress target = (InetSocketAddress) remote;
            if (thrown != null) {
                r.connectFailed(socket, target, Transport.SOCKET, startNanos, thrown);
            } else {
                r.connected(socket, Transport.SOCKET, target, localAddress(socket), localPort, startNanos);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * {@code SocketChannelImpl.connect} (or the adaptor's {@code blockingConnect}) returned or failed.
     *
     * @param requested the address the application passed
     * @param remote    the channel's remote address after the call (resolved), if any
     * @param local     the channel's local address after the call, if any
     * @param connected whether it connected at once; false means pending (non-blocking)
     */
    public static void channelConnectEnd(Object channel, SocketAddress requested, SocketAddress remote,
                                         SocketAddress local, boolean connected, long startNanos, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0) {
            return;
        }
        try {
            SocketAddress target = remote != null ? remote : requested;
            if (!(target instanceof InetSocketAddress)) {
                return;
            }
            nonBlockingConnectEnd(r, channel, Transport.SOCKET_CHANNEL, (InetSocketAddress) target, local, connected,
                    startNanos, thrown);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** A connect that may complete at once or later ({@code SocketChannel}, Netty) returned or failed. */
    private static void nonBlockingConnectEnd(Recorder r, Object connection, Transport transport,
                                              InetSocketAddress remote, SocketAddress local, boolean connected,
                                              long startNanos, Throwable thrown) {
        InetSocketAddress bound = local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
        if (thrown != null) {
            r.connectFailed(connection, remote, transport, startNanos, thrown);
        } else if (connected) {
            r.connected(connection, transport, remote, bound == null ? null : bound.getAddress(),
                    bound == null ? 0 : bound.getPort(), startNanos);
        } else {
            r.connectPending(connection, transport, remote, startNanos, bound);
        }
    }

    /** {@code finishConnect} (of a channel) is starting. */
    public static void finishConnectStart(Object channel) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.connectFinishing(channel);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** {@code finishConnect} returned ({@code connected} true once the connection is established) or failed. */
    public static void finishConnectEnd(Object channel, boolean connected, SocketAddress local, Throwable thrown) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            if (thrown != null) {
                r.connectPendingFailed(channel, thrown);
            } else if (connected) {
                InetSocketAddress bound = local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
                r.connectFinished(channel, bound == null ? null : bound.getAddress(), bound == null ? 0 : bound.getPort());
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * {@code NioSocketImpl.accept(SocketImpl)} returned: {@code accepted} is now connected to a client.
     *
     * @param server        the listening impl
     * @param listeningPort its local port
     */
    public static void acceptEnd(Object server, Object accepted, int listeningPort, long startNanos, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || thrown != null) {
            return;
        }
        try {
            InetAddress bound = localAddress(server);
            InetSocketAddress listening = bound == null ? new InetSocketAddress(listeningPort)
                    : new InetSocketAddress(bound, listeningPort);
            r.accepted(accepted, Transport.SOCKET, listening, JdkInternals.peerOf(accepted));
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** {@code ServerSocketChannelImpl} made the channel of an accepted connection. */
    public static void channelAcceptEnd(Object channel, SocketAddress peer, SocketAddress listening, long startNanos) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || !(listening instanceof InetSocketAddress)) {
            return;
        }
        try {
            r.accepted(channel, Transport.SOCKET_CHANNEL, (InetSocketAddress) listening,
                    peer instanceof InetSocketAddress ? (InetSocketAddress) peer : null);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    private static InetAddress localAddress(Object socket) {
        InetAddress direct = JdkInternals.localAddressOf(socket);
        if (direct != null) {
            return direct;
        }
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

    /** A blocking read returned {@code n} bytes (-1 at end of stream) or threw. The hot path. */
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

    /** A channel read (no timeout of its own) returned {@code n} bytes (-1 at end of stream) or threw. The hot path. */
    public static void channelReadEnd(Object channel, long n, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || (n == 0 && thrown == null)) {
            return; // nothing there yet (a non-blocking read): nothing to record, not even a lookup
        }
        try {
            if (thrown == null) {
                r.read(channel, n);
            } else {
                r.readFailed(channel, 0, thrown, 0);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * A write of {@code n} bytes that started at {@code startNanos} returned or threw. The hot path. The write is
     * dated by its start: an answer read on another thread can arrive before the write call returns.
     */
    public static void writeEnd(Object socket, long startNanos, long n, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0) {
            return;
        }
        try {
            if (thrown == null) {
                r.written(socket, startNanos, n);
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

    /** A close returned: see {@link Recorder#closed}. */
    public static void closeEnd(Object socket) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.closed(socket);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** An asynchronous channel starts connecting (the connect may complete before this returns). */
    public static void asyncConnectStart(Object channel, SocketAddress remote) {
        Recorder r = recorder;
        if (r == null || !(remote instanceof InetSocketAddress)) {
            return;
        }
        try {
            r.connectPending(channel, Transport.ASYNC_CHANNEL, (InetSocketAddress) remote, Clock.nanos(), null);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** An asynchronous read is initiated with {@code timeout} (0: none). */
    public static void asyncReadStart(Object channel, long timeout, java.util.concurrent.TimeUnit unit) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.asyncReadStarted(channel, timeout <= 0 || unit == null ? 0 : unit.toMillis(timeout));
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** An asynchronous read's timeout elapsed: it fails with {@code InterruptedByTimeoutException}. */
    public static void asyncReadTimedOut(Object channel) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.asyncReadTimedOut(channel);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** An {@code SSLSocket} starts closing: what it writes and reads from now on is TLS protocol, not requests. */
    public static void tlsClose(Object sslSocket) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            r.tlsClosing(sslSocket);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** An {@code SSLSocket} finished a handshake: its connection carries TLS. */
    public static void tlsHandshakeEnd(Object sslSocket, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || thrown != null) {
            return;
        }
        try {
            r.tls(sslSocket);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty epoll: {@code AbstractEpollChannel.doConnect} returned ({@code connected}: at once; else pending, and
     * {@link #nettyFinishConnectEnd} follows) or failed.
     *
     * @param channel the channel (datagram and Unix domain channels are ignored)
     * @param socket  its {@code LinuxSocket}, which carries the connection's I/O and identifies it
     * @param local   the channel's local address after the call (bound even while pending)
     */
    public static void nettyConnectEnd(Object channel, Object socket, SocketAddress remote, SocketAddress local,
                                       boolean connected, long startNanos, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || socket == null || !(remote instanceof InetSocketAddress)) {
            return;
        }
        try {
            if (NettyChannels.isTcpStream(channel)) {
                nonBlockingConnectEnd(r, socket, Transport.NETTY_EPOLL, (InetSocketAddress) remote, local, connected,
                        startNanos, thrown);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty epoll: a client {@code EpollSocketChannel} was created, on the thread that asked for the connection
     * ({@code Bootstrap.connect} creates it there; the connect itself runs on the event loop).
     */
    public static void nettyChannelCreated(Object socket) {
        Recorder r = recorder;
        if (r == null || socket == null) {
            return;
        }
        try {
            r.connectAsked(socket);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** Netty's {@code unix.Socket.finishConnect} returned ({@code connected} once established) or failed. */
    public static void nettyFinishConnectEnd(Object socket, boolean connected, Throwable thrown) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            if (thrown != null) {
                r.connectPendingFailed(socket, thrown);
            } else if (connected) {
                r.connectFinished(socket, null, 0);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty epoll: {@code doClose} starts. A pending connect whose promise already failed (Netty's connect timeout
     * fails it, then closes) fails with that cause, before the socket's close would call it given up.
     *
     * @param connectPromise the channel's pending connect promise (a {@code java.util.concurrent.Future}), or null
     */
    public static void nettyClosing(Object socket, Object connectPromise) {
        Recorder r = recorder;
        if (r == null || socket == null || !(connectPromise instanceof java.util.concurrent.Future)) {
            return;
        }
        try {
            java.util.concurrent.Future<?> promise = (java.util.concurrent.Future<?>) connectPromise;
            if (promise.isDone() && !promise.isCancelled() && r.connecting(socket)) {
                try {
                    promise.get();
                } catch (java.util.concurrent.ExecutionException failed) {
                    r.connectPendingFailed(socket, failed.getCause());
                }
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty epoll: an {@code EpollSocketChannel} was made for a connection its server channel {@code parent}
     * accepted from {@code peer}; {@code socket} is its {@code LinuxSocket}.
     */
    public static void nettyAccepted(Object parent, Object socket, SocketAddress peer) {
        Recorder r = recorder;
        if (r == null || parent == null || socket == null) {
            return;
        }
        try {
            InetSocketAddress listening = NettyChannels.localAddress(parent);
            if (listening != null) {
                r.accepted(socket, Transport.NETTY_EPOLL, listening,
                        peer instanceof InetSocketAddress ? (InetSocketAddress) peer : null);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }
}
