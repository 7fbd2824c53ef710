package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's {@code io.netty.channel.epoll.AbstractEpollChannel} (4.1 and 4.2, the same names): {@code doConnect}
 * (connected at once, pending, or failed; the local address is bound by then) and {@code doClose} (which may close
 * a connect still pending). The connection is identified by the channel's {@code LinuxSocket}, whose reads, writes,
 * completion and close {@link NettyUnixSocketInstrumentation} and {@link NettyFileDescriptorInstrumentation} see.
 */
final class NettyEpollChannelInstrumentation extends LibraryInstrumentation {

    NettyEpollChannelInstrumentation() {
        super("io.netty.channel.epoll.AbstractEpollChannel");
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("doConnect(SocketAddress, SocketAddress)",
                        named("doConnect").and(takesArguments(SocketAddress.class, SocketAddress.class)), Connect.class),
                new Advised("doClose()", named("doClose").and(takesArguments(0)), Close.class));
    }

    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.FieldValue("socket") Object socket,
                         @Advice.Argument(0) SocketAddress remote, @Advice.FieldValue("local") SocketAddress local,
                         @Advice.Return boolean connected, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            SocketEvents.nettyConnectEnd(channel, socket, remote, local, connected, start, thrown);
        }
    }

    static final class Close {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("socket") Object socket,
                          @Advice.FieldValue("connectPromise") Object connectPromise) {
            SocketEvents.nettyClosing(socket, connectPromise);
        }
    }
}
