package io.socktrace.agent.bootstrap;

/**
 * One connection from open to close, as it appears in the report's timeline. Times are microseconds since the
 * epoch, 0 when the event did not happen. Immutable except {@link #reopenedGapMicros()}, which is filled in
 * (under the endpoint's lock) when the next connection to the same endpoint pairs with this close.
 */
public final class Cycle {

    private final long id;
    private final Transport transport;
    private final boolean tls;
    private final java.net.InetAddress peerAddress;
    private final int peerPort;
    private final java.net.InetAddress localAddress;
    private final int localPort;
    private final boolean openedBeforeRecording;
    private final long openedMicros;
    private final long connectMicros;
    private final long lastWriteMicros;
    private final long lastReadMicros;
    private final long bytesWritten;
    private final long bytesRead;
    private final CloseCause cause;
    private final long causeMicros;
    private final int timeoutMillis;
    private final long timeoutBlockedMicros;
    private final String errorMessage;
    private final boolean requestInFlight;
    private final long closedMicros;
    private final String closeThread;
    private final int closeStackId;
    private final int connectStackId;
    private final long reconnectGapMicros;
    private final long outputShutdownMicros;
    private final long inputShutdownMicros;
    private final boolean resetSent;
    long reopenedGapMicros = -1;

    Cycle(ConnectionRecord c, CloseCause cause, long closedNanos, String closeThread, int closeStackId) {
        this.id = c.id;
        this.transport = c.transport;
        this.tls = c.tls;
        this.peerAddress = c.peerAddress;
        this.peerPort = c.peerPort;
        this.localAddress = c.localAddress;
        this.localPort = c.localPort;
        this.openedBeforeRecording = c.openedBeforeRecording;
        this.openedMicros = Clock.epochMicros(c.connectStartNanos);
        this.connectMicros = c.openedBeforeRecording ? -1 : (c.connectedNanos - c.connectStartNanos) / 1_000;
        this.lastWriteMicros = micros(c.lastWriteNanos);
        this.lastReadMicros = micros(c.lastReadNanos);
        this.bytesWritten = c.bytesWritten;
        this.bytesRead = c.bytesRead;
        this.cause = cause;
        this.causeMicros = micros(c.causeNanos(cause));
        this.timeoutMillis = cause == CloseCause.READ_TIMEOUT ? c.timeoutMillis : 0;
        this.timeoutBlockedMicros = cause == CloseCause.READ_TIMEOUT ? c.timeoutBlockedNanos / 1_000 : 0;
        this.errorMessage = cause == CloseCause.RESET || cause == CloseCause.IO_ERROR ? c.errorMessage() : null;
        this.requestInFlight = c.requestInFlight();
        this.closedMicros = micros(closedNanos);
        this.closeThread = closeThread;
        this.closeStackId = closeStackId;
        this.connectStackId = c.connectStackId;
        this.reconnectGapMicros = c.reconnectGapNanos < 0 ? -1 : c.reconnectGapNanos / 1_000;
        this.outputShutdownMicros = micros(c.outputShutdownNanos);
        this.inputShutdownMicros = micros(c.inputShutdownNanos);
        this.resetSent = c.resetSent;
    }

    private static long micros(long nanos) {
        return nanos == 0 ? 0 : Clock.epochMicros(nanos);
    }

    /** Sequence number of the connection in this JVM, in connect order. */
    public long id() {
        return id;
    }

    public Transport transport() {
        return transport;
    }

    public boolean tls() {
        return tls;
    }

    /** For an accepted connection, the client's {@code address:port}; otherwise {@code null}. */
    public String peer() {
        return peerAddress == null ? null : Endpoint.of(new java.net.InetSocketAddress(peerAddress, peerPort)).key();
    }

    public String localAddress() {
        return localAddress == null ? null : localAddress.getHostAddress();
    }

    public int localPort() {
        return localPort;
    }

    /**
     * Open before recording started: {@link #openedMicros()} is when it was first seen in use, and its connect
     * (time, duration, stack, thread) is unknown.
     */
    public boolean openedBeforeRecording() {
        return openedBeforeRecording;
    }

    /** When the connect call started, or for a connection {@link #openedBeforeRecording()}, when it was first seen. */
    public long openedMicros() {
        return openedMicros;
    }

    /** How long the connect call took; -1 if unknown ({@link #openedBeforeRecording()}). */
    public long connectMicros() {
        return connectMicros;
    }

    public long lastWriteMicros() {
        return lastWriteMicros;
    }

    public long lastReadMicros() {
        return lastReadMicros;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public CloseCause cause() {
        return cause;
    }

    /** When the event named by {@link #cause()} happened (the read timed out, EOF, the reset); 0 for none. */
    public long causeMicros() {
        return causeMicros;
    }

    /** {@code SO_TIMEOUT} in force when the read timed out. */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** How long the timed-out read blocked. */
    public long timeoutBlockedMicros() {
        return timeoutBlockedMicros;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public boolean requestInFlight() {
        return requestInFlight;
    }

    /** When close was called, or when the collection was noticed for {@link CloseCause#COLLECTED}. */
    public long closedMicros() {
        return closedMicros;
    }

    /** The closing thread's name; {@code null} for {@link CloseCause#COLLECTED}. */
    public String closeThread() {
        return closeThread;
    }

    /** Id in the {@link StackTable}, or {@link StackTable#NO_STACK}. */
    public int closeStackId() {
        return closeStackId;
    }

    public int connectStackId() {
        return connectStackId;
    }

    /** Gap between the close this connection replaced and its connect, or -1 if it was not a reconnect. */
    public long reconnectGapMicros() {
        return reconnectGapMicros;
    }

    /** Gap between this close and the connect that replaced it, or -1 if none has (yet). */
    public long reopenedGapMicros() {
        return reopenedGapMicros;
    }

    /** Lifetime from the start of the connect to the close; -1 if unknown ({@link #openedBeforeRecording()}). */
    public long lifetimeMicros() {
        return openedBeforeRecording ? -1 : closedMicros - openedMicros;
    }

    /** When this JVM shut the connection down for output (a FIN sent without a close), 0 if it did not. */
    public long outputShutdownMicros() {
        return outputShutdownMicros;
    }

    /** When this JVM shut the connection down for input, 0 if it did not. */
    public long inputShutdownMicros() {
        return inputShutdownMicros;
    }

    /** Closed with {@code SO_LINGER} 0: this JVM reset the connection (RST) rather than closing it with a FIN. */
    public boolean resetSent() {
        return resetSent;
    }
}
