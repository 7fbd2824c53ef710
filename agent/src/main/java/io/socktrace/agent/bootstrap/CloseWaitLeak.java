package io.socktrace.agent.bootstrap;

/**
 * An open connection whose peer closed (this JVM read end of stream) and that this JVM had still not closed
 * {@code closeWait} later: in the kernel it sits in CLOSE_WAIT, holding its descriptor, until the code that owns it
 * closes it. Times are microseconds since the epoch.
 *
 * @param id                    the connection's sequence number
 * @param localPort             its local port
 * @param peer                  for an accepted connection, the client's {@code address:port}; else {@code null}
 * @param openedBeforeRecording open since before recording: when and by whom it was opened is unknown
 * @param openedMicros          when the connect started (or, opened before recording, when first seen)
 * @param eofMicros             when a read returned end of stream
 * @param openForMicros         how long it had been open since then, when the report was taken
 * @param connectStackId        the stack that opened it ({@link StackTable#NO_STACK} if unknown, not kept or not
 *                              sampled)
 * @param connectThread         the thread that opened it, {@code null} if unknown
 * @param readerThread          the thread whose read saw end of stream (the last reader)
 * @param eofStackId            that read's stack ({@link StackTable#NO_STACK} if not sampled or not kept)
 */
public record CloseWaitLeak(long id, Transport transport, int localPort, String peer, boolean openedBeforeRecording,
                            long openedMicros, long eofMicros, long openForMicros, int connectStackId,
                            String connectThread, String readerThread, int eofStackId) {

    static CloseWaitLeak of(ConnectionRecord c, long nowNanos) {
        return new CloseWaitLeak(c.id, c.transport, c.localPort,
                c.peerAddress == null ? null
                        : Endpoint.of(new java.net.InetSocketAddress(c.peerAddress, c.peerPort)).key(),
                c.openedBeforeRecording, Clock.epochMicros(c.connectStartNanos), Clock.epochMicros(c.eofNanos),
                (nowNanos - c.eofNanos) / 1_000, Math.max(StackTable.NO_STACK, c.connectStackId), c.connectThread,
                c.eofThread, Math.max(StackTable.NO_STACK, c.eofStackId));
    }
}
