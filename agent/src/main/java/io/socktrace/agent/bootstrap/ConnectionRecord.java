package io.socktrace.agent.bootstrap;

/**
 * What is known about one open connection. Created when a connect succeeds, updated by reads and writes on the
 * I/O threads (single field stores, no locks), and turned into a {@link Cycle} when the connection is closed.
 * Holds no reference to the socket itself and never any payload.
 */
public final class ConnectionRecord {

    final long id;
    final Transport transport;
    final Endpoint endpoint;
    /**
     * Where the connection is counted: its endpoint's aggregate, or the one shared beyond the endpoint cap. Kept so
     * that a close folds into it without looking it up again.
     */
    final EndpointAggregate aggregate;
    /**
     * For accepted connections, the client's address (the socket's own object: no copy per connection) and port;
     * otherwise {@code null} and 0. Formatted only when reported.
     */
    final java.net.InetAddress peerAddress;
    final int peerPort;
    final java.net.InetAddress localAddress;
    final int localPort;
    final long connectStartNanos;
    final long connectedNanos;
    final int connectStackId;
    final String connectThread;
    /**
     * Open before recording started (or while the connection table was full): first seen in use, at
     * {@link #connectedNanos}; when it opened and who opened it are unknown.
     */
    final boolean openedBeforeRecording;
    /** The connection carries TLS (an {@code SSLSocket} completed a handshake over it). */
    volatile boolean tls;
    /**
     * When that first handshake completed, or 0: its records are the TLS layer's own round trips, so a reply read
     * before it answers no request and the first request after it reuses nothing.
     */
    long handshakeNanos;
    /** Gap since the close this connection replaced, or -1 when it was not a reconnect. Set once under the endpoint lock. */
    long reconnectGapNanos = -1;

    volatile long lastWriteNanos;
    volatile long lastReadNanos;
    long bytesWritten; // approximate under concurrent writers; a count, never payload
    long bytesRead;

    volatile long timeoutNanos;
    volatile int timeoutMillis;
    volatile long timeoutBlockedNanos;
    volatile long eofNanos;
    /** Set when a TLS layer starts closing: 1 if a request was in flight then, -1 if not, 0 before. */
    volatile int closingInFlight;
    volatile long closingRequestNanos;
    /** For asynchronous channels: when the current read was initiated, and its timeout. */
    volatile long asyncReadStartNanos;
    volatile int asyncReadTimeoutMillis;
    /** The last I/O error, or {@code null}: one object, so that its time, cause and message always agree. */
    volatile Failure failure;
    /** The read that saw end of stream: its thread (the last reader) and stack (sampled); for CLOSE_WAIT leaks. */
    volatile String eofThread;
    volatile int eofStackId;
    /** When this JVM half-closed the connection ({@code shutdownOutput}, {@code shutdownInput}); 0 if it did not. */
    volatile long outputShutdownNanos;
    volatile long inputShutdownNanos;
    /** Closed with {@code SO_LINGER} 0: the close sent an RST. Set once, by the closing thread. */
    boolean resetSent;
    /**
     * For a connection this JVM made: the idle gap (last read to this write) before the request in flight, when it
     * reused the connection (an answer was read before); 0 for the first request.
     */
    long reuseIdleNanos;
    /**
     * The longest {@link #reuseIdleNanos} whose request was answered, confirmed by a later reply: the peer kept the
     * connection idle so long.
     */
    long longestAnsweredReuseNanos;
    /**
     * The {@link #reuseIdleNanos} of the last request that got a reply, not confirmed yet: should the peer's close be
     * found right after it, that reply may be the message the peer sent as it closed (payload is never read), so it
     * proves nothing about the idle gap before it.
     */
    long lastReplyReuseNanos;
    /** The peer's end of stream or reset was seen by a read already waiting: its time is when it came. */
    volatile boolean closeSeenWaiting;
    /** Stack of the thread that found this reused connection closed under its request (stale reuse), or 0. */
    volatile int staleStackId;
    /**
     * For a connection this JVM made, its I/O in bursts: the quiet gap before the current burst, when that burst
     * started, and whether the peer started it (a read, nothing asked). A new burst starts at an event whose gap is
     * more than a tenth of the quiet before the current one. Plain fields: racy under concurrent readers and
     * writers, like the byte counts, and only ever an approximation of when the connection went quiet.
     */
    long quietGapNanos;
    long burstStartNanos;
    boolean burstByPeer;

    /** A burst this much shorter than the quiet before it is one exchange after that quiet (see {@link #idleBefore}). */
    static final int BURST_RATIO = 10;

    ConnectionRecord(long id, Transport transport, Endpoint endpoint, EndpointAggregate aggregate,
                     java.net.InetSocketAddress peer, java.net.InetAddress localAddress, int localPort,
                     long connectStartNanos, long connectedNanos, int connectStackId, String connectThread) {
        this(id, transport, endpoint, aggregate, peer, localAddress, localPort, connectStartNanos, connectedNanos,
                connectStackId, connectThread, false);
    }

    /** A connection first seen in use at {@code seenNanos}, open since before recording. */
    static ConnectionRecord openedBefore(long id, Transport transport, Endpoint endpoint, EndpointAggregate aggregate,
                                         java.net.InetSocketAddress peer, java.net.InetAddress localAddress,
                                         int localPort, long seenNanos) {
        return new ConnectionRecord(id, transport, endpoint, aggregate, peer, localAddress, localPort, seenNanos,
                seenNanos, StackTable.NO_STACK, null, true);
    }

    private ConnectionRecord(long id, Transport transport, Endpoint endpoint, EndpointAggregate aggregate,
                             java.net.InetSocketAddress peer,
                             java.net.InetAddress localAddress, int localPort, long connectStartNanos,
                             long connectedNanos, int connectStackId, String connectThread,
                             boolean openedBeforeRecording) {
        this.openedBeforeRecording = openedBeforeRecording;
        this.id = id;
        this.transport = transport;
        this.endpoint = endpoint;
        this.aggregate = aggregate;
        this.peerAddress = peer == null ? null : peer.getAddress();
        this.peerPort = peer == null ? 0 : peer.getPort();
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.connectStartNanos = connectStartNanos;
        this.connectedNanos = connectedNanos;
        this.connectStackId = connectStackId;
        this.connectThread = connectThread;
        this.burstStartNanos = connectedNanos;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Records a read of {@code n} bytes (-1 at end of stream); returns whether this was the end of stream event. */
    boolean read(long now, long n) {
        if (n > 0) {
            burst(now, true);
            // the first reply to the request in flight; once a TLS layer closes, its close_notify is no request
            if (lastWriteNanos > lastReadNanos && closingInFlight == 0) {
                long earlier = lastReplyReuseNanos;
                if (earlier > longestAnsweredReuseNanos) {
                    longestAnsweredReuseNanos = earlier; // the peer replied again after it: that was an answer
                }
                lastReplyReuseNanos = reuseIdleNanos;
            }
            lastReadNanos = now;
            bytesRead += n;
        } else if (n < 0 && eofNanos == 0 && inputShutdownNanos == 0) {
            // NioSocketImpl latches EOF; only the first -1 is the event. After this JVM's own shutdownInput reads
            // return -1 whatever the peer did: no end of stream from the peer.
            eofNanos = now;
            return true;
        }
        return false;
    }

    /**
     * The first TLS handshake over this connection completed (a TLS 1.2 client's last handshake record is a read):
     * its flights answered no request, so what they set for reuse is forgotten.
     */
    void handshakeCompleted(long now) {
        handshakeNanos = now;
        reuseIdleNanos = 0;
        lastReplyReuseNanos = 0;
        longestAnsweredReuseNanos = 0;
    }

    /** Records a half-close; returns whether it was the first of its direction. */
    boolean shutdown(long now, boolean output) {
        if (output ? outputShutdownNanos != 0 : inputShutdownNanos != 0) {
            return false;
        }
        if (output) {
            outputShutdownNanos = now;
        } else {
            inputShutdownNanos = now;
        }
        return true;
    }

    /** The peer closed (end of stream read) and this JVM has held the connection open since for {@code closeWaitNanos}. */
    boolean inCloseWait(long now, long closeWaitNanos) {
        long eof = eofNanos;
        return eof != 0 && now - eof >= closeWaitNanos;
    }

    void asyncReadStarted(long now, int timeoutMillis) {
        asyncReadTimeoutMillis = timeoutMillis;
        asyncReadStartNanos = now;
    }

    void written(long now, long n) {
        if (n > 0) {
            burst(now, false);
            long read = lastReadNanos;
            // a new request after an answer reuses the connection; a reply within a burst the peer started (to its
            // ping, say) is no request at all
            if (peerAddress == null && read > handshakeNanos && read >= lastWriteNanos && closingInFlight == 0) {
                reuseIdleNanos = burstByPeer ? 0 : Math.max(0, now - read);
            }
            lastWriteNanos = now;
            bytesWritten += n;
        }
    }

    private long lastIoNanos() {
        return Math.max(lastReadNanos, Math.max(lastWriteNanos, connectedNanos));
    }

    /** Before the read or write at {@code now} is stored: does it start a new burst of I/O after a quiet gap? */
    private void burst(long now, boolean read) {
        if (peerAddress != null) {
            return;
        }
        long gap = now - lastIoNanos();
        if (gap > quietGapNanos / BURST_RATIO) {
            quietGapNanos = gap;
            burstStartNanos = now;
            burstByPeer = read && lastReadNanos >= lastWriteNanos; // the peer spoke with nothing asked
        }
    }

    /**
     * How long the connection had been idle when the peer closed it at {@code closeNanos}: the gap since its last
     * read or write, unless the close ends a short exchange the peer started after a long quiet gap (a GOAWAY and
     * a ping answered, an error message before the close): a peer saying goodbye before it closes an idle
     * connection. Then the idle time is that quiet gap, since the goodbye is the close's own traffic.
     */
    long idleBefore(long closeNanos) {
        long last = lastIoNanos();
        long gap = Math.max(0, closeNanos - last);
        long quiet = quietGapNanos;
        if (burstByPeer && gap <= quiet / BURST_RATIO && closeNanos - burstStartNanos <= quiet / BURST_RATIO) {
            return quiet;
        }
        return gap;
    }

    void timedOut(long now, int soTimeoutMillis, long blockedNanos) {
        timeoutMillis = soTimeoutMillis;
        timeoutBlockedNanos = blockedNanos;
        timeoutNanos = now;
    }

    /** Allocates, as the failure path does already (the exception, its description); reads and writes never do. */
    void failed(long now, CloseCause cause, String message) {
        failure = new Failure(now, cause, message);
    }

    /**
     * The last abnormal event with no data read after it, which is what the closing code was reacting to;
     * {@link CloseCause#NO_ERROR} if there is none.
     */
    CloseCause cause() {
        long lastRead = lastReadNanos;
        long timeout = timeoutNanos > lastRead ? timeoutNanos : 0;
        long eof = eofNanos;
        Failure failed = failure;
        long error = failed != null && failed.nanos > lastRead ? failed.nanos : 0;
        long latest = Math.max(timeout, Math.max(eof, error));
        if (latest == 0) {
            return CloseCause.NO_ERROR;
        }
        if (latest == error) {
            return failed.cause;
        }
        return latest == eof ? CloseCause.END_OF_STREAM : CloseCause.READ_TIMEOUT;
    }

    long causeNanos(CloseCause cause) {
        switch (cause) {
            case READ_TIMEOUT: return timeoutNanos;
            case END_OF_STREAM: return eofNanos;
            case RESET:
            case IO_ERROR: return failure == null ? 0 : failure.nanos;
            default: return 0;
        }
    }

    /**
     * A request was in flight: for a connection this JVM made, bytes were written after the last read (or nothing
     * was ever read); for an accepted one, bytes were read after the last write (a request not answered yet).
     * Once a TLS layer starts closing, its own close_notify traffic no longer counts.
     */
    boolean requestInFlight() {
        if (closingInFlight != 0) {
            return closingInFlight > 0;
        }
        long request = peerAddress == null ? lastWriteNanos : lastReadNanos;
        long answer = peerAddress == null ? lastReadNanos : lastWriteNanos;
        return request != 0 && request > answer;
    }

    /**
     * The peer closed (end of stream or reset) under a request written on a reused connection: the request went to a
     * connection the peer had already closed.
     */
    boolean staleReuse() {
        return peerAddress == null && reuseIdleNanos > 0 && requestInFlight();
    }

    /** When the request in flight was sent (or, accepted, received). */
    long requestNanos() {
        return peerAddress == null ? lastWriteNanos : lastReadNanos;
    }

    /** A layer above (TLS) starts closing: freeze what was in flight before its own protocol traffic. */
    void layerClosing() {
        if (closingInFlight == 0) {
            closingRequestNanos = requestNanos();
            closingInFlight = requestInFlight() ? 1 : -1;
        }
    }

    /** The last error message, or {@code null}. */
    String errorMessage() {
        Failure failed = failure;
        return failed == null ? null : failed.message;
    }

    static final class Failure {
        final long nanos;
        final CloseCause cause;
        final String message;

        Failure(long nanos, CloseCause cause, String message) {
            this.nanos = nanos;
            this.cause = cause;
            this.message = message;
        }
    }
}
