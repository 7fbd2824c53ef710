package io.socktrace.agent.instrument;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into {@code sun.nio.ch.NioSocketImpl}, the implementation behind every platform
 * {@code java.net.Socket} on JDK 13 and later (JDK 17 can opt back into {@code PlainSocketImpl}, which is not
 * covered). Each piece is inlined into a JDK method, so it references nothing but {@link SocketEvents}, and
 * suppresses whatever it throws.
 */
final class NioSocketImplAdvice {

    private NioSocketImplAdvice() {
    }

    /**
     * {@code connect(SocketAddress, int)}: every {@code Socket} constructor and {@code connect} overload ends
     * here; on failure it closes the impl itself before rethrowing, which is not a close of a connection.
     */
    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(0) SocketAddress remote,
                         @Advice.FieldValue("localport") int localPort, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.connectEnd(socket, remote, localPort, start, thrown);
        }
    }

    /**
     * {@code read(byte[], int, int)}, private, behind both the socket's input stream and the impl's own: returns
     * -1 at end of stream and throws {@code SocketTimeoutException} when {@code SO_TIMEOUT} elapses.
     */
    static final class Read {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Return int n, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown, @Advice.FieldValue("timeout") int soTimeoutMillis) {
            SocketEvents.readEnd(socket, start, n, thrown, soTimeoutMillis);
        }
    }

    /** {@code write(byte[], int, int)}, private: writes all of {@code len} bytes or throws. */
    static final class Write {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(2) int len, @Advice.Thrown Throwable thrown) {
            SocketEvents.writeEnd(socket, len, thrown);
        }
    }

    /**
     * {@code close()}: reached from {@code Socket.close}, the socket's streams and any wrapping impl; the
     * recorder counts only the first call for a connection.
     */
    static final class Close {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object socket) {
            SocketEvents.close(socket);
        }
    }
}
