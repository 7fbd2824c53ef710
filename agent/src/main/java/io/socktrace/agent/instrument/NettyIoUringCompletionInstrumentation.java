package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The read and write completions of Netty's io_uring TCP channels, in their unsafe (the channel is its enclosing
 * instance, {@code this$0}): {@code readComplete0} and {@code writeComplete0} get the completion's result, bytes or
 * {@code -errno}, and are advised on entry, before the pipeline (which may close the channel) sees the data. In
 * 4.2 the result is the second argument (after the op code) and writes are taken in {@code IoUringSocketChannel}'s
 * own unsafe, which handles zero-copy sends without its superclass; in the 4.1 incubator it is the first.
 */
abstract class NettyIoUringCompletionInstrumentation extends LibraryInstrumentation {

    private NettyIoUringCompletionInstrumentation(String typeName) {
        super(typeName);
    }

    /** 4.2: {@code AbstractIoUringStreamChannel$IoUringStreamUnsafe.readComplete0(byte, int, int, short, int)}. */
    static NettyIoUringCompletionInstrumentation reads42() {
        // subclasses, not matchers built here: Byte Buddy's classes load only once something is woven
        return new NettyIoUringCompletionInstrumentation(
                "io.netty.channel.uring.AbstractIoUringStreamChannel$IoUringStreamUnsafe") {
            @Override
            List<Advised> advised() {
                return List.of(new Advised("readComplete0(byte, int, int, short, int)",
                        named("readComplete0").and(takesArguments(byte.class, int.class, int.class, short.class,
                                int.class)), ResultSecond.Read.class));
            }
        };
    }

    /** 4.2: {@code IoUringSocketChannel$IoUringSocketUnsafe.writeComplete0(byte, int, int, long, int)}. */
    static NettyIoUringCompletionInstrumentation writes42() {
        return new NettyIoUringCompletionInstrumentation(
                "io.netty.channel.uring.IoUringSocketChannel$IoUringSocketUnsafe") {
            @Override
            List<Advised> advised() {
                return List.of(new Advised("writeComplete0(byte, int, int, long, int)",
                        named("writeComplete0").and(takesArguments(byte.class, int.class, int.class, long.class,
                                int.class)), ResultSecond.Write.class));
            }
        };
    }

    /** The 4.1 incubator: {@code AbstractIOUringStreamChannel$IOUringStreamUnsafe}, both {@code (int, int, int)}. */
    static NettyIoUringCompletionInstrumentation incubator() {
        return new NettyIoUringCompletionInstrumentation(
                "io.netty.incubator.channel.uring.AbstractIOUringStreamChannel$IOUringStreamUnsafe") {
            @Override
            List<Advised> advised() {
                return List.of(new Advised("readComplete0(int, int, int)",
                                named("readComplete0").and(takesArguments(int.class, int.class, int.class)),
                                ResultFirst.Read.class),
                        new Advised("writeComplete0(int, int, int)",
                                named("writeComplete0").and(takesArguments(int.class, int.class, int.class)),
                                ResultFirst.Write.class));
            }
        };
    }

    static final class ResultFirst {

        private ResultFirst() {
        }

        static final class Read {

            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(0) int res) {
                SocketEvents.nettyUringReadComplete(channel, res);
            }
        }

        static final class Write {

            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(0) int res) {
                SocketEvents.nettyUringWriteComplete(channel, res);
            }
        }
    }

    static final class ResultSecond {

        private ResultSecond() {
        }

        static final class Read {

            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(1) int res) {
                SocketEvents.nettyUringReadComplete(channel, res);
            }
        }

        static final class Write {

            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(1) int res) {
                SocketEvents.nettyUringWriteComplete(channel, res);
            }
        }
    }
}
