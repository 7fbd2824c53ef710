package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's io_uring TCP channel ({@code io.netty.channel.uring.IoUringSocketChannel} of 4.2, the incubator's
 * {@code IOUringSocketChannel}): the no-argument constructor a client's channel factory calls on the thread that
 * asked for the connection, and the ones a server channel makes accepted connections with ({@code (Channel parent,
 * LinuxSocket fd[, SocketAddress remote])}; the peer is read from the channel, which caches it either way).
 */
final class NettyIoUringSocketChannelInstrumentation extends LibraryInstrumentation {

    NettyIoUringSocketChannelInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("the constructors taking the parent channel",
                        isConstructor().and(not(takesArguments(0))), Accepted.class),
                new Advised("the no-argument constructor", isConstructor().and(takesArguments(0)), Created.class));
    }

    static final class Created {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel) {
            SocketEvents.nettyChannelCreated(channel);
        }
    }

    static final class Accepted {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Argument(0) Object parent) {
            SocketEvents.nettyUringAccepted(parent, channel);
        }
    }
}
