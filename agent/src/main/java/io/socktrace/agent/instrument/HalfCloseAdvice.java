package io.socktrace.agent.instrument;

import io.socktrace.agent.bootstrap.SocketEvents;
import net.bytebuddy.asm.Advice;

/**
 * Half-closes, the same on every JDK transport: {@code shutdownOutput()} (a FIN sent, the connection stays open
 * for reading) and {@code shutdownInput()} of {@code NioSocketImpl}, {@code SocketChannelImpl} (and so the channel's
 * socket adaptor) and the asynchronous channel; Netty's native {@code Socket.shutdown(read, write)}. Recorded when
 * the call returns without throwing.
 */
final class HalfCloseAdvice {

    private HalfCloseAdvice() {
    }

    static final class ShutdownOutput {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
            SocketEvents.shutdownEnd(connection, false, true, thrown);
        }
    }

    static final class ShutdownInput {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
            SocketEvents.shutdownEnd(connection, true, false, thrown);
        }
    }

    /** Netty's {@code io.netty.channel.unix.Socket.shutdown(boolean read, boolean write)}. */
    static final class NettyShutdown {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(0) boolean read,
                         @Advice.Argument(1) boolean write, @Advice.Thrown Throwable thrown) {
            SocketEvents.shutdownEnd(socket, read, write, thrown);
        }
    }
}
