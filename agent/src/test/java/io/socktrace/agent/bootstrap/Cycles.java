package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Hand-built {@link Cycle}s at chosen wall-clock times, for rendering tests: a connection record updated the way
 * the recorder updates it, then closed. Times are microseconds since the epoch.
 */
public final class Cycles {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Cycles() {
    }

    /** The {@link Clock#nanos()} reading that {@link Clock#epochMicros} turns into exactly {@code epochMicros}. */
    static long nanosAt(long epochMicros) {
        return (epochMicros - Clock.epochMicros(0)) * 1_000L;
    }

    /** A connection this JVM made from {@code localPort}, connecting at {@code openedAt} for {@code connectMicros}. */
    public static Builder made(long id, Transport transport, int localPort, long openedAt, long connectMicros) {
        return new Builder(new ConnectionRecord(id, transport, null, null, null, LOOPBACK, localPort,
                nanosAt(openedAt), nanosAt(openedAt + connectMicros), StackTable.NO_STACK, "main"));
    }

    /** A connection this JVM accepted from the client {@code 127.0.0.1:peerPort} at {@code openedAt}. */
    public static Builder accepted(long id, Transport transport, int peerPort, int localPort, long openedAt) {
        return new Builder(new ConnectionRecord(id, transport, null, null, new InetSocketAddress(LOOPBACK, peerPort),
                LOOPBACK, localPort, nanosAt(openedAt), nanosAt(openedAt), StackTable.NO_STACK, "main"));
    }

    /** The gap to the connection that replaced {@code cycle}, as the recorder fills it in. */
    public static Cycle reopened(Cycle cycle, long gapMicros) {
        cycle.reopenedGapMicros = gapMicros;
        return cycle;
    }

    /** What happened on one connection, then its close. */
    public static final class Builder {

        private final ConnectionRecord record;

        Builder(ConnectionRecord record) {
            this.record = record;
        }

        public Builder tls() {
            record.tls = true;
            return this;
        }

        public Builder wrote(long at, long bytes) {
            record.written(nanosAt(at), bytes);
            return this;
        }

        /** A read of {@code bytes}; -1 is the end of stream. */
        public Builder read(long at, long bytes) {
            record.read(nanosAt(at), bytes);
            return this;
        }

        public Builder timedOut(long at, int soTimeoutMillis, long blockedMicros) {
            record.timedOut(nanosAt(at), soTimeoutMillis, blockedMicros * 1_000L);
            return this;
        }

        public Builder failed(long at, CloseCause cause, String message) {
            record.failed(nanosAt(at), cause, message);
            return this;
        }

        /** This JVM half-closed it at {@code at}: {@code shutdownOutput} when {@code output}, else {@code shutdownInput}. */
        public Builder shutdown(long at, boolean output) {
            record.shutdown(nanosAt(at), output);
            return this;
        }

        /** Its close will have {@code SO_LINGER} 0: an RST sent. */
        public Builder resetSent() {
            record.resetSent = true;
            return this;
        }

        /** Closed at {@code at} by {@code thread}, for the cause the record's events give. */
        public Cycle closed(long at, String thread, int closeStackId) {
            return new Cycle(record, record.cause(), nanosAt(at), thread, closeStackId);
        }

        /** Found garbage collected at {@code at}, never closed. */
        public Cycle collected(long at) {
            return new Cycle(record, CloseCause.COLLECTED, nanosAt(at), null, StackTable.NO_STACK);
        }
    }
}
