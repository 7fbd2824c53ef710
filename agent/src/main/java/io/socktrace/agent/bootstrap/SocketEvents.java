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

    /**
     * The local address {@code Net.localAddress} last read on each thread while recording. A successful
     * {@code NioSocketImpl.connect} reads it last, just before it returns, and keeps only the port; its record
     * takes the address from here rather than asking the kernel again. One entry per thread, made on its first read.
     */
    private static final ThreadLocal<InetSocketAddress> LOCAL_ADDRESS_READ = new ThreadLocal<>();

    /** {@code Net.localAddress(FileDescriptor)} returned {@code local}. */
    public static void localAddressRead(InetSocketAddress local) {
        if (recorder != null) {
            LOCAL_ADDRESS_READ.set(local);
        }
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
                r.connected(socket, Transport.SOCKET, target, connectedLocalAddress(socket, localPort), localPort,
                        startNanos);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * The local address of a {@code Socket} just connected from {@code localPort}: the one its connect read, when
     * this thread's last read was of that port (a read from before the recording started, or of another socket,
     * is not), else asked of the socket.
     */
    private static InetAddress connectedLocalAddress(Object socket, int localPort) {
        InetSocketAddress read = LOCAL_ADDRESS_READ.get();
        if (read != null) {
            LOCAL_ADDRESS_READ.set(null); // the entry stays: no allocation at the next read
            if (read.getPort() == localPort) {
                return read.getAddress();
            }
        }
        return localAddress(socket);
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
            InetSocketAddress listening = r.listenerAddress(server);
            if (listening == null) {
                InetAddress bound = localAddress(server);
                listening = r.listenerAddress(server, bound == null ? new InetSocketAddress(listeningPort)
                        : new InetSocketAddress(bound, listeningPort));
            }
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
                r.read(socket, startNanos, n);
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

    /**
     * A half-close returned ({@code shutdownOutput} when {@code output}, else {@code shutdownInput}; Netty's
     * {@code shutdown(read, write)} may do both); recorded if it did not throw.
     */
    public static void shutdownEnd(Object connection, boolean input, boolean output, Throwable thrown) {
        Recorder r = recorder;
        if (r == null || thrown != null) {
            return;
        }
        try {
            if (output) {
                r.shutdown(connection, true);
            }
            if (input) {
                r.shutdown(connection, false);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** A socket option was set on a JDK connection ({@code setOption(SocketOption, value)}). */
    public static void optionSet(Object option, Throwable thrown) {
        Recorder r = recorder;
        if (r != null && thrown == null && option == java.net.StandardSocketOptions.SO_LINGER) {
            r.lingerSet();
        }
    }

    /** The same through {@code SocketImpl.setOption(int, Object)}, where {@code Socket.setSoLinger} ends. */
    public static void optionSet(int option, Throwable thrown) {
        Recorder r = recorder;
        if (r != null && thrown == null && option == java.net.SocketOptions.SO_LINGER) {
            r.lingerSet();
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
     * ({@code Bootstrap.connect} creates it there; the connect itself runs on the event loop). Also io_uring's
     * {@code IoUringSocketChannel}, whose connection is the channel itself.
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
     * Netty epoll: {@code doClose} starts (and io_uring's close, see {@link #nettyUringClosing}). A pending connect
     * whose promise already failed (Netty's connect timeout fails it, then closes) fails with that cause, before
     * the close would call it given up.
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
            if (promise.isDone() && r.connecting(socket)) {
                Throwable failure = failureOf(promise);
                if (failure != null) {
                    r.connectPendingFailed(socket, failure);
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

    // Netty io_uring (4.2's io.netty.channel.uring, the 4.1 incubator's io.netty.incubator.channel.uring): reads,
    // writes and connects are submitted to the ring and complete later in callbacks on the event loop, which tell
    // only a result (bytes, or -errno). The connection is identified by its channel, the one object every hook sees.

    /** errno values (Linux) an io_uring read or write completes with that are no failure of the connection. */
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    private static final int ECANCELED = 125;

    /**
     * Netty io_uring: the unsafe's {@code connect} returned, having submitted the connect (pending: a completion
     * follows) or failed the promise at once.
     */
    public static void nettyUringConnectEnd(Object channel, SocketAddress remote, Object promise, long startNanos) {
        Recorder r = recorder;
        if (r == null || startNanos == 0 || channel == null || !(remote instanceof InetSocketAddress)
                || !(promise instanceof java.util.concurrent.Future)) {
            return;
        }
        try {
            if (!NettyChannels.isTcpStream(channel)) {
                return;
            }
            java.util.concurrent.Future<?> future = (java.util.concurrent.Future<?>) promise;
            if (!future.isDone()) {
                r.connectPending(channel, Transport.NETTY_IO_URING, (InetSocketAddress) remote, startNanos, null);
            } else {
                Throwable failure = failureOf(future);
                if (failure != null) {
                    r.connectFailed(channel, (InetSocketAddress) remote, Transport.NETTY_IO_URING, startNanos, failure);
                }
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** Netty io_uring: a pending connect succeeded; {@code local} is the address the kernel bound. */
    public static void nettyUringConnected(Object channel, SocketAddress local) {
        Recorder r = recorder;
        if (r == null || channel == null) {
            return;
        }
        try {
            InetSocketAddress bound = local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
            r.connectFinished(channel, bound == null ? null : bound.getAddress(), bound == null ? 0 : bound.getPort());
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** Netty io_uring: a pending connect failed with {@code cause} (its completion's errno, as Netty's exception). */
    public static void nettyUringConnectFailed(Object channel, Throwable cause) {
        Recorder r = recorder;
        if (r == null || channel == null || cause == null) {
            return;
        }
        try {
            r.connectPendingFailed(channel, cause);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty io_uring: the unsafe's close starts, on the thread and stack that decided it. The channel's own
     * {@code doClose} may run later (after the completions still outstanding), so this is where the close counts.
     * A pending connect whose promise already failed (Netty's connect timeout) fails with that cause first.
     */
    public static void nettyUringClosing(Object channel) {
        Recorder r = recorder;
        if (r == null || channel == null) {
            return;
        }
        try {
            if (r.connecting(channel)) {
                nettyClosing(channel, NettyChannels.connectPromise(channel));
            }
            r.closing(channel);
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** Netty io_uring: an {@code IoUringSocketChannel} was made for a connection its server channel accepted. */
    public static void nettyUringAccepted(Object parent, Object channel) {
        Recorder r = recorder;
        if (r == null || parent == null || channel == null) {
            return;
        }
        try {
            InetSocketAddress listening = NettyChannels.localAddress(parent);
            InetSocketAddress peer = NettyChannels.remoteAddress(channel);
            if (listening != null && peer != null && NettyChannels.isTcpStream(channel)) {
                r.accepted(channel, Transport.NETTY_IO_URING, listening, peer);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty io_uring: a read completed with {@code res} bytes, 0 at end of stream, or {@code -errno}. The hot path:
     * called before the pipeline sees the data, so that a handler closing on it finds the read recorded.
     */
    public static void nettyUringReadComplete(Object channel, int res) {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            if (res >= 0) {
                r.read(channel, res == 0 ? -1 : res);
            } else if (res != -EAGAIN && res != -ECANCELED && res != -ENOBUFS) {
                r.nativeIoFailed(channel, "io_uring read", -res); // the kernel's words, as Netty's exception has them
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /**
     * Netty io_uring: a write completed with {@code res} bytes or {@code -errno}. The hot path. Dated by its
     * completion: the submission is not seen, and the completion precedes any answer's.
     */
    public static void nettyUringWriteComplete(Object channel, int res) {
        Recorder r = recorder;
        if (r == null || res == 0) {
            return;
        }
        try {
            if (res > 0) {
                r.written(channel, Clock.nanos(), res);
            } else if (res != -EAGAIN && res != -ECANCELED) {
                r.nativeIoFailed(channel, "io_uring write", -res);
            }
        } catch (Throwable error) {
            r.failed(error);
        }
    }

    /** The cause a done promise failed with, or {@code null} if it succeeded or was cancelled. */
    private static Throwable failureOf(java.util.concurrent.Future<?> promise) throws InterruptedException {
        if (promise.isCancelled()) {
            return null;
        }
        try {
            promise.get();
            return null;
        } catch (java.util.concurrent.ExecutionException failed) {
            return failed.getCause();
        }
    }
}
