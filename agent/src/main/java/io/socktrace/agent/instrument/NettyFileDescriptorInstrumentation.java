package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's {@code io.netty.channel.unix.FileDescriptor}, the base of its native sockets: {@code close} (every close
 * of a native socket ends here, whoever asked) and the gathering writes {@code writev} and {@code writevAddresses}
 * that epoll's stream channels flush with, besides {@code write} and {@code writeAddress}.
 */
final class NettyFileDescriptorInstrumentation extends LibraryInstrumentation {

    NettyFileDescriptorInstrumentation() {
        super("io.netty.channel.unix.FileDescriptor");
    }

    @Override
    List<Advised> advised() {
        return List.of(
                new Advised("close()", named("close").and(takesArguments(0)), ConnectionAdvice.Close.class),
                new Advised("write(ByteBuffer, int, int)",
                        named("write").and(takesArguments(ByteBuffer.class, int.class, int.class)),
                        ConnectionAdvice.WriteInt.class),
                new Advised("writeAddress(long, int, int)",
                        named("writeAddress").and(takesArguments(long.class, int.class, int.class)),
                        ConnectionAdvice.WriteInt.class),
                new Advised("writev(ByteBuffer[], int, int, long)",
                        named("writev").and(takesArguments(ByteBuffer[].class, int.class, int.class, long.class)),
                        ConnectionAdvice.WriteLong.class),
                new Advised("writevAddresses(long, int)",
                        named("writevAddresses").and(takesArguments(long.class, int.class)),
                        ConnectionAdvice.WriteLong.class));
    }



}
