package io.socktrace.agent.instrument;

import io.socktrace.agent.bootstrap.SocketEvents;
import net.bytebuddy.asm.Advice;

/**
 * Socket options set on a JDK connection, of which only {@code SO_LINGER} matters: until one is set, no close can be
 * abortive, and the close path skips asking the socket. {@code setOption(SocketOption, value)} of
 * {@code NioSocketImpl}, {@code SocketChannelImpl} (and so its socket adaptor) and the asynchronous channel;
 * {@code NioSocketImpl.setOption(int, Object)}, where {@code Socket.setSoLinger} ends.
 */
final class SocketOptionAdvice {

    private SocketOptionAdvice() {
    }

    static final class Named {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object option, @Advice.Thrown Throwable thrown) {
            SocketEvents.optionSet(option, thrown);
        }
    }

    static final class Numbered {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) int option, @Advice.Thrown Throwable thrown) {
            SocketEvents.optionSet(option, thrown);
        }
    }
}
