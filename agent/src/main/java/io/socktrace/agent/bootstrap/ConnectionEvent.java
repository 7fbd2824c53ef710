package io.socktrace.agent.bootstrap;

/**
 * One thing that happened to a connection, as published to {@link ConnectionListener}s (the event trace, JDK
 * Flight Recorder) on the thread it happened on. Lifecycle events only: reads and writes are not events.
 *
 * @param kind          what happened
 * @param epochMicros   when
 * @param endpoint      the group's {@code address:port} (remote, or the listening address when {@code accepted})
 * @param accepted      whether the connection was accepted by this JVM
 * @param transport     the JDK API ({@link Transport#apiName()})
 * @param localPort     the local port, 0 if unknown (failed connects)
 * @param peer          the client's {@code address:port} for accepted connections, else {@code null}
 * @param thread        the thread's name
 * @param stack         the stack, resolved (a reset may replace the table it came from), or {@code null} if none
 *                      was taken
 * @param durationMicros the connect's duration, the blocked read's duration, or the connection's lifetime at close;
 *                      -1 if unknown (a connection open since before recording)
 * @param timeoutMillis {@code SO_TIMEOUT} for a read timeout, else 0
 * @param detail        the close cause, the failure reason or the error message; may be {@code null}
 * @param requestInFlight for a close: whether a request was in flight
 * @param localAddress  this side's address, {@code null} if unknown (failed connects)
 * @param hostName      the host name the application connected to, {@code null} if it gave an address
 */
public record ConnectionEvent(Kind kind, long epochMicros, String endpoint, boolean accepted, String transport,
                              int localPort, String peer, String thread, StackTable.StackTrace stack, long durationMicros,
                              int timeoutMillis, String detail, boolean requestInFlight, String localAddress,
                              String hostName) {

    /** Without this side's address and the host name. */
    public ConnectionEvent(Kind kind, long epochMicros, String endpoint, boolean accepted, String transport,
                           int localPort, String peer, String thread, StackTable.StackTrace stack, long durationMicros,
                           int timeoutMillis, String detail, boolean requestInFlight) {
        this(kind, epochMicros, endpoint, accepted, transport, localPort, peer, thread, stack, durationMicros,
                timeoutMillis, detail, requestInFlight, null, null);
    }

    /** Event kinds; their names are the trace's {@code event} values and the JFR event names' suffixes. */
    public enum Kind {
        CONNECT, CONNECT_FAILED, ACCEPT,
        /** A connection open since before recording (attach, reset), first seen in use. */
        OPENED_BEFORE,
        TLS, READ_TIMEOUT, END_OF_STREAM, ERROR, CLOSE,
        /** This JVM half-closed the connection: {@code shutdownOutput} (a FIN sent without a close). */
        SHUTDOWN_OUTPUT,
        /** This JVM shut the connection down for input ({@code shutdownInput}). */
        SHUTDOWN_INPUT,
        /** This JVM closed the connection with {@code SO_LINGER} 0: an RST sent; the {@code close} event follows. */
        RESET_SENT
    }
}
