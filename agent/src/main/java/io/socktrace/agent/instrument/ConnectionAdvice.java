package io.socktrace.agent.instrument;

import io.socktrace.agent.bootstrap.SocketEvents;
import net.bytebuddy.asm.Advice;

/**
 * Advice whose shape is the same on every transport: a close (the first call of a connection's close counts; its
 * return drops what a read racing the close took in again), and reads and writes that return their byte count.
 * The connection is the advised object: {@code SocketChannelImpl}, an impl, Netty's native socket.
 */
final class ConnectionAdvice {

    private ConnectionAdvice() {
    }

    static final class Close {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object connection) {
            SocketEvents.close(connection);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection) {
            SocketEvents.closeEnd(connection);
        }
    }

    /** A read returning {@code int} bytes, -1 at end of stream, 0 when nothing was there. */
    static final class ReadInt {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Return int n, @Advice.Thrown Throwable thrown) {
            SocketEvents.channelReadEnd(connection, n, thrown);
        }
    }

    /** A scattering read returning {@code long} bytes. */
    static final class ReadLong {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Return long n, @Advice.Thrown Throwable thrown) {
            SocketEvents.channelReadEnd(connection, n, thrown);
        }
    }

    /** A write returning {@code int} bytes written, dated by its start. */
    static final class WriteInt {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Return int n, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.writeEnd(connection, start, n, thrown);
        }
    }

    /** A gathering write returning {@code long} bytes written. */
    static final class WriteLong {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Return long n, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.writeEnd(connection, start, n, thrown);
        }
    }
}
