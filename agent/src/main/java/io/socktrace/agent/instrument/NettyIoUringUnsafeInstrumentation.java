package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The unsafe of Netty's io_uring channels ({@code AbstractIoUringChannel$AbstractUringUnsafe} of 4.2,
 * {@code AbstractIOUringChannel$AbstractUringUnsafe} of the 4.1 incubator), whose channel is its enclosing
 * instance ({@code this$0}): {@code connect} (which only submits the connect), the private
 * {@code fulfillConnectPromise(ChannelPromise, Throwable)} that every failed connect completion goes through (a
 * {@code null} promise: cancelled already), and its close, on the stack that decided it: the channel's
 * {@code doClose} runs only once no read or write is outstanding, maybe later from a completion.
 */
final class NettyIoUringUnsafeInstrumentation extends LibraryInstrumentation {

    private final String close;
    private final int closeArguments;

    /**
     * @param close          the close this line overrides: 4.2's {@code close(ChannelPromise, Throwable,
     *                       ClosedChannelException)}, the incubator's {@code close(ChannelPromise)}
     * @param closeArguments how many arguments it takes (a count, not a matcher: Byte Buddy loads only when
     *                       something is woven)
     */
    NettyIoUringUnsafeInstrumentation(String typeName, String close, int closeArguments) {
        super(typeName);
        this.close = close;
        this.closeArguments = closeArguments;
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("connect(SocketAddress, SocketAddress, ChannelPromise)",
                        named("connect").and(takesArguments(3)).and(takesArgument(0, SocketAddress.class)),
                        Connect.class),
                new Advised("fulfillConnectPromise(ChannelPromise, Throwable)",
                        named("fulfillConnectPromise").and(takesArguments(2)).and(takesArgument(1, Throwable.class)),
                        ConnectFailed.class),
                new Advised(close, named("close").and(takesArguments(closeArguments)), Close.class));
    }

    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(0) SocketAddress remote,
                         @Advice.Argument(2) Object promise, @Advice.Enter long start) {
            SocketEvents.nettyUringConnectEnd(channel, remote, promise, start);
        }
    }

    static final class ConnectFailed {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(0) Object promise,
                          @Advice.Argument(1) Throwable cause) {
            if (promise != null) {
                SocketEvents.nettyUringConnectFailed(channel, cause);
            }
        }
    }

    static final class Close {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object channel) {
            SocketEvents.nettyUringClosing(channel);
        }
    }
}
