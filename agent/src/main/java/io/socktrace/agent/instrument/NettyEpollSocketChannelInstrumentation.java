package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.InetSocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's {@code io.netty.channel.epoll.EpollSocketChannel}: the constructor a server channel uses for each
 * connection it accepts ({@code (Channel parent, LinuxSocket fd, InetSocketAddress remote)}, 4.1 and 4.2), and the
 * no-argument one a client's channel factory uses, where the code that asked for the connection is on the stack.
 */
final class NettyEpollSocketChannelInstrumentation extends LibraryInstrumentation {

    NettyEpollSocketChannelInstrumentation() {
        super("io.netty.channel.epoll.EpollSocketChannel");
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("EpollSocketChannel(Channel, LinuxSocket, InetSocketAddress)",
                        isConstructor().and(takesArguments(3)).and(takesArgument(2, InetSocketAddress.class)),
                        Accepted.class),
                new Advised("EpollSocketChannel()", isConstructor().and(takesArguments(0)), Created.class));
    }

    /**
     * {@code EpollSocketChannel()}: a client channel, created by {@code Bootstrap} (its reflective channel factory)
     * on the thread that asked for the connection; the one constructor all the usual channel factories call.
     */
    static final class Created {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("socket") Object socket) {
            SocketEvents.nettyChannelCreated(socket);
        }
    }

    static final class Accepted {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object parent, @Advice.Argument(1) Object socket,
                         @Advice.Argument(2) InetSocketAddress peer) {
            SocketEvents.nettyAccepted(parent, socket, peer);
        }
    }
}
