package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.SocketChannelImpl}: {@code SocketChannel}, blocking and not, and through its socket adaptor
 * ({@code SocketChannel.socket()}) the adaptor's streams and {@code SO_TIMEOUT}. On JDK 25 the public
 * {@code read}/{@code write} methods wrap private {@code implRead}/{@code implWrite}; advising the public ones
 * works on both.
 */
final class SocketChannelImplInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.SocketChannelImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer
                .advice(named("connect").and(isPublic()).and(takesArguments(SocketAddress.class)), Connect.class.getName())
                .advice(named("blockingConnect").and(takesArguments(SocketAddress.class, long.class)),
                        BlockingConnect.class.getName())
                .advice(named("finishConnect").and(takesArguments(0)), FinishConnect.class.getName())
                .advice(named("read").and(isPublic()).and(takesArguments(ByteBuffer.class)),
                ConnectionAdvice.ReadInt.class.getName())
                .advice(named("read").and(isPublic()).and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                        ConnectionAdvice.ReadLong.class.getName())
                .advice(named("write").and(isPublic()).and(takesArguments(ByteBuffer.class)),
                ConnectionAdvice.WriteInt.class.getName())
                .advice(named("write").and(isPublic()).and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                        ConnectionAdvice.WriteLong.class.getName())
                .advice(named("blockingRead").and(takesArguments(byte[].class, int.class, int.class, long.class))
                        .and(returns(int.class)), BlockingRead.class.getName())
                .advice(named("blockingWriteFully").and(takesArguments(3)).and(takesArgument(0, byte[].class)),
                        BlockingWrite.class.getName())
                .advice(named("implCloseSelectableChannel").and(takesArguments(0)),
                ConnectionAdvice.Close.class.getName())
                .advice(named("shutdownOutput").and(takesArguments(0)), HalfCloseAdvice.ShutdownOutput.class.getName())
                .advice(named("shutdownInput").and(takesArguments(0)), HalfCloseAdvice.ShutdownInput.class.getName())
                .advice(named("setOption").and(takesArguments(SocketOption.class, Object.class)),
                        SocketOptionAdvice.Named.class.getName());
    }

    /** {@code connect(SocketAddress)}: true when connected, false when pending (non-blocking). */
    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Argument(0) SocketAddress requested,
                         @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.FieldValue("localAddress") SocketAddress local, @Advice.Return boolean connected,
                         @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            SocketEvents.channelConnectEnd(channel, requested, remote, local, connected, start, thrown);
        }
    }

    /** {@code blockingConnect(SocketAddress, long)}: the adaptor's {@code connect}, with its timeout. */
    static final class BlockingConnect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Argument(0) SocketAddress requested,
                         @Advice.FieldValue("remoteAddress") SocketAddress remote,
                         @Advice.FieldValue("localAddress") SocketAddress local, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.channelConnectEnd(channel, requested, remote, local, true, start, thrown);
        }
    }

    /** {@code finishConnect()}: completes (true) or fails a pending connect; closes the channel itself on failure. */
    static final class FinishConnect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel) {
            SocketEvents.finishConnectStart(channel);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Return boolean connected,
                         @Advice.FieldValue("localAddress") SocketAddress local, @Advice.Thrown Throwable thrown) {
            SocketEvents.finishConnectEnd(channel, connected, local, thrown);
        }
    }





    /** {@code blockingRead(byte[], int, int, long nanos)}: the adaptor stream's read, with its {@code SO_TIMEOUT}. */
    static final class BlockingRead {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Return int n, @Advice.Argument(3) long timeoutNanos,
                         @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            SocketEvents.readEnd(channel, start, n, thrown, (int) (timeoutNanos / 1_000_000L));
        }
    }

    /** {@code blockingWriteFully(byte[], int, int len)}: the adaptor stream's write. */
    static final class BlockingWrite {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Argument(2) int len, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.writeEnd(channel, start, len, thrown);
        }
    }

}
