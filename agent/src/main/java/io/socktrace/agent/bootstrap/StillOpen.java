package io.socktrace.agent.bootstrap;

/**
 * A connection still open when the report was taken, copied from its live record. Times are microseconds since the
 * epoch, 0 when the event did not happen. The copy is weakly consistent: the I/O threads go on storing into the record
 * while it is read (one field at a time, no lock), so a read or write in progress may show in one field and not yet
 * in the next.
 *
 * @param openedBeforeRecording open since before recording: when and by whom it was opened is unknown
 * @param openedMicros          when the connect started; -1 if unknown ({@code openedBeforeRecording})
 * @param firstSeenMicros       for a connection {@code openedBeforeRecording}, when it was first seen in use; else -1
 * @param connectMicros         how long the connect took; -1 if unknown
 * @param connectThread         the thread that opened (or accepted) it; {@code null} if unknown
 * @param connectStackId        its stack ({@link StackTable#NO_STACK} if unknown, not sampled or not kept)
 * @param requestInFlight       a request was in flight (written after the last read, or for an accepted connection
 *                              read after the last write)
 * @param requestMicros         when that request was sent (or received); 0 without one
 * @param endOfStreamMicros     when a read saw the peer's end of stream (the connection is half closed); 0 if none
 */
public record StillOpen(long id, Transport transport, boolean tls, String localAddress, int localPort, String peer,
                        boolean openedBeforeRecording, long openedMicros, long firstSeenMicros, long connectMicros,
                        String connectThread, int connectStackId, long lastWriteMicros, long lastReadMicros,
                        long bytesWritten, long bytesRead, boolean requestInFlight, long requestMicros,
                        long endOfStreamMicros) {

    static StillOpen of(ConnectionRecord c) {
        boolean before = c.openedBeforeRecording;
        boolean inFlight = c.requestInFlight();
        return new StillOpen(c.id, c.transport, c.tls,
                c.localAddress == null ? null : c.localAddress.getHostAddress(), c.localPort,
                c.peerAddress == null ? null
                        : Endpoint.of(new java.net.InetSocketAddress(c.peerAddress, c.peerPort)).key(),
                before, before ? -1 : Clock.epochMicros(c.connectStartNanos),
                before ? Clock.epochMicros(c.connectedNanos) : -1,
                before ? -1 : (c.connectedNanos - c.connectStartNanos) / 1_000, c.connectThread,
                Math.max(StackTable.NO_STACK, c.connectStackId), micros(c.lastWriteNanos), micros(c.lastReadNanos),
                c.bytesWritten, c.bytesRead, inFlight, inFlight ? micros(c.requestNanos()) : 0, micros(c.eofNanos));
    }

    private static long micros(long nanos) {
        return nanos == 0 ? 0 : Clock.epochMicros(nanos);
    }
}
