package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl}, the Linux and macOS {@code AsynchronousSocketChannel}:
 * connect (started in {@code implConnect}, completed in {@code setConnected}; a failed connect closes the channel
 * before it completes, see {@code Recorder.closing}), close ({@code implClose}) and the timeout given to a read. Bytes moved by
 * asynchronous reads and writes are not recorded (their results surface in completion handlers).
 */
final class AsyncSocketChannelInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.UnixAsynchronousSocketChannelImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer
                .advice(named("implConnect").and(takesArguments(3)).and(takesArgument(0, SocketAddress.class)),
                        Connect.class.getName())
                .advice(named("setConnected").and(takesArguments(0)), Connected.class.getName())
                .advice(named("implRead").and(takesArguments(7)).and(takesArgument(3, long.class)),
                        Read.class.getName())
                .advice(named("implClose").and(takesArguments(0)), ConnectionAdvice.Close.class.getName());
    }

    /** {@code implConnect(SocketAddress, A, CompletionHandler)}: a connect starts (it may complete at once). */
    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel, @Advice.Argument(0) SocketAddress remote) {
            SocketEvents.asyncConnectStart(channel, remote);
        }
    }

    /** {@code setConnected()}: the connection is established, on whichever path. */
    static final class Connected {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.FieldValue("localAddress") InetSocketAddress local) {
            SocketEvents.finishConnectEnd(channel, true, local, null);
        }
    }

    /** {@code implRead(..., long timeout, TimeUnit unit, ...)}: a read is initiated, perhaps with a timeout. */
    static final class Read {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel, @Advice.Argument(3) long timeout,
                          @Advice.Argument(4) TimeUnit unit) {
            SocketEvents.asyncReadStart(channel, timeout, unit);
        }
    }

}
