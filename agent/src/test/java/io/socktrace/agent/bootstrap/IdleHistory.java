package io.socktrace.agent.bootstrap;

import java.net.InetAddress;

/**
 * Recorded event sequences of connections this JVM made to one endpoint, folded the way the recorder folds them at
 * each close, for tests of what is inferred from idle gaps. Times are milliseconds from an arbitrary start; each
 * connection starts after the previous one ended.
 */
public final class IdleHistory {

    private static final long MS = 1_000_000L;
    private final IdleGaps gaps = new IdleGaps();
    private long now = 1_000 * MS;
    private long ids;

    /** A connection answered after each idle gap (the first request is not a reuse), then closed by this JVM. */
    public IdleHistory reused(long... gapsMillis) {
        ConnectionRecord c = open();
        exchange(c);
        for (long gap : gapsMillis) {
            now += gap * MS;
            exchange(c);
        }
        return close(c, CloseCause.NO_ERROR);
    }

    /** A connection answered once, then its request after {@code gapMillis} idle met the peer's close. */
    public IdleHistory stale(long gapMillis, CloseCause cause, int stackId) {
        ConnectionRecord c = open();
        exchange(c);
        now += gapMillis * MS;
        c.written(now, 40);
        now += MS;
        seePeerClose(c, cause, false);
        c.staleStackId = stackId;
        return close(c, cause);
    }

    /**
     * A connection answered once, then closed by the peer after {@code idleMillis}: seen by a read already waiting,
     * or found later by a check {@code laterMillis} after it came.
     */
    public IdleHistory closedWhileIdle(long idleMillis, boolean waiting, long laterMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += (idleMillis + (waiting ? 0 : laterMillis)) * MS;
        seePeerClose(c, CloseCause.END_OF_STREAM, waiting);
        return close(c, CloseCause.END_OF_STREAM);
    }

    /**
     * A connection answered once, then its request after {@code gapMillis} idle read one reply, and the next read
     * found the peer's close (not waiting), before any other request: a PostgreSQL backend's idle-session error
     * read by pgjdbc, or an answer and then a close.
     */
    public IdleHistory closedAfterReply(long gapMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += gapMillis * MS;
        exchange(c);
        now += MS;
        seePeerClose(c, CloseCause.END_OF_STREAM, false);
        return close(c, CloseCause.END_OF_STREAM);
    }

    /** As {@link #closedAfterReply}, but the close came to a read already waiting, {@code idleMillis} after the reply. */
    public IdleHistory answeredThenClosedWhileIdle(long gapMillis, long idleMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += gapMillis * MS;
        exchange(c);
        now += idleMillis * MS;
        seePeerClose(c, CloseCause.END_OF_STREAM, true);
        return close(c, CloseCause.END_OF_STREAM);
    }

    /**
     * A connection answered once, then quiet for {@code idleMillis}, then the peer says goodbye before it closes
     * (HTTP/2's GOAWAY and ping: data nothing asked for, this JVM's reply, more data), all within 0.2 ms, seen by a
     * read already waiting.
     */
    public IdleHistory closedAfterGoodbye(long idleMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += idleMillis * MS;
        c.read(now, 17);
        now += MS / 20;
        c.written(now, 17);
        now += MS / 20;
        c.read(now, 17);
        now += MS / 20;
        seePeerClose(c, CloseCause.END_OF_STREAM, true);
        return close(c, CloseCause.END_OF_STREAM);
    }

    /**
     * A connection answered once, then quiet for {@code idleMillis}, then one message nothing asked for (a
     * database's "terminating idle session" error) and the peer's close 0.05 ms after it, seen by a read already
     * waiting, as an asynchronous client always has one.
     */
    public IdleHistory closedAfterPartingMessage(long idleMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += idleMillis * MS;
        c.read(now, 90);
        now += MS / 20;
        seePeerClose(c, CloseCause.END_OF_STREAM, true);
        return close(c, CloseCause.END_OF_STREAM);
    }

    /**
     * A TLS 1.2 connection: the client's handshake writes its second flight {@code gapMillis} after the server's
     * first (key agreement takes time, more so in a JVM just started) and ends with a read (the server's Finished);
     * then its one request, {@code gapMillis} after the handshake, is answered and this JVM closes the TLS layer
     * {@code gapMillis} later, which exchanges close_notify.
     */
    public IdleHistory tlsOneRequest(long gapMillis) {
        ConnectionRecord c = open();
        exchange(c); // ClientHello, ServerHello..ServerHelloDone
        now += gapMillis * MS;
        exchange(c); // ClientKeyExchange..Finished, the server's Finished
        c.handshakeCompleted(now);
        now += gapMillis * MS;
        exchange(c);
        now += gapMillis * MS;
        c.layerClosing();
        exchange(c); // close_notify both ways, as TLS 1.3 closes
        return close(c, CloseCause.NO_ERROR);
    }

    /**
     * A connection answered once, reused after {@code idleMillis} and answered, and closed by the peer 0.05 ms
     * after that answer, seen by a read already waiting: this JVM's request started the last exchange, not the peer.
     */
    public IdleHistory closedRightAfterAnswer(long idleMillis) {
        ConnectionRecord c = open();
        exchange(c);
        now += idleMillis * MS;
        c.written(now, 40);
        now += MS / 20;
        c.read(now, 100);
        now += MS / 20;
        seePeerClose(c, CloseCause.END_OF_STREAM, true);
        return close(c, CloseCause.END_OF_STREAM);
    }

    public IdleObservations observations() {
        return gaps.snapshot();
    }

    private ConnectionRecord open() {
        ConnectionRecord c = new ConnectionRecord(++ids, Transport.SOCKET, null, null, null,
                InetAddress.getLoopbackAddress(), 40000 + (int) ids, now, now + MS, StackTable.NO_STACK, "main");
        now += MS;
        return c;
    }

    private void exchange(ConnectionRecord c) {
        c.written(now, 40);
        now += MS;
        c.read(now, 100);
    }

    private void seePeerClose(ConnectionRecord c, CloseCause cause, boolean waiting) {
        if (cause == CloseCause.END_OF_STREAM) {
            c.read(now, -1);
        } else {
            c.failed(now, cause, "Connection reset");
        }
        c.closeSeenWaiting = waiting;
    }

    private IdleHistory close(ConnectionRecord c, CloseCause cause) {
        now += MS;
        gaps.closed(c, new Cycle(c, cause, now, "main", StackTable.NO_STACK));
        now += MS;
        return this;
    }
}
