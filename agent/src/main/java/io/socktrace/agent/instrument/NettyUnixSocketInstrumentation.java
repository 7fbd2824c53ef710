package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's {@code io.netty.channel.unix.Socket} (the native socket under epoll, 4.1 and 4.2): {@code recv} and
 * {@code recvAddress} return the bytes read, -1 at end of stream, 0 when nothing is there, and throw
 * {@code Errors$NativeIoException} (errno in the message) on a reset; {@code send} and {@code sendAddress} write;
 * {@code finishConnect} completes a pending connect (true) or throws why it failed; {@code shutdown(read, write)}
 * half-closes (epoll's {@code shutdownOutput}/{@code shutdownInput} end there).
 */
final class NettyUnixSocketInstrumentation extends LibraryInstrumentation {

    NettyUnixSocketInstrumentation() {
        super("io.netty.channel.unix.Socket");
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("recv(ByteBuffer, int, int)",
                        named("recv").and(takesArguments(ByteBuffer.class, int.class, int.class)),
                        ConnectionAdvice.ReadInt.class),
                new Advised("recvAddress(long, int, int)",
                        named("recvAddress").and(takesArguments(long.class, int.class, int.class)),
                        ConnectionAdvice.ReadInt.class),
                new Advised("send(ByteBuffer, int, int)",
                        named("send").and(takesArguments(ByteBuffer.class, int.class, int.class)),
                        ConnectionAdvice.WriteInt.class),
                new Advised("sendAddress(long, int, int)",
                        named("sendAddress").and(takesArguments(long.class, int.class, int.class)),
                        ConnectionAdvice.WriteInt.class),
                new Advised("finishConnect()", named("finishConnect").and(takesArguments(0)), FinishConnect.class),
                new Advised("shutdown(boolean, boolean)",
                        named("shutdown").and(takesArguments(boolean.class, boolean.class)),
                        HalfCloseAdvice.NettyShutdown.class));
    }



    static final class FinishConnect {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.nettyFinishConnectEnd(socket, connected, thrown);
        }
    }
}
