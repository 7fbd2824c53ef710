package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The base class of Netty's io_uring channels ({@code io.netty.channel.uring.AbstractIoUringChannel} of 4.2, the
 * 4.1 incubator's {@code io.netty.incubator.channel.uring.AbstractIOUringChannel}; the same members):
 * {@code doClose}, which every close ends in (the first close of a connection counts, and the unsafe's close,
 * {@link NettyIoUringUnsafeInstrumentation}, usually comes first), and the private {@code computeRemote}, which
 * only a successful connect calls, after the kernel bound the local address and before the promise's listeners
 * (which may close the channel at once) run.
 */
final class NettyIoUringChannelInstrumentation extends LibraryInstrumentation {

    NettyIoUringChannelInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("doClose()", named("doClose").and(takesArguments(0)), ConnectionAdvice.Close.class),
                new Advised("computeRemote()", named("computeRemote").and(takesArguments(0)), Connected.class));
    }

    static final class Connected {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.FieldValue("local") SocketAddress local) {
            SocketEvents.nettyUringConnected(channel, local);
        }
    }
}
