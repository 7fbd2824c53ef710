package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import java.net.SocketOption;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.NioSocketImpl}: the implementation behind every platform {@code java.net.Socket} and
 * {@code ServerSocket} on JDK 13 and later (JDK 17 can opt back into {@code PlainSocketImpl}, which is not
 * covered). The method names and descriptors used here are the same on JDK 17 and 25.
 */
final class NioSocketImplInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.NioSocketImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer
                .advice(named("connect").and(takesArguments(SocketAddress.class, int.class)), Connect.class.getName())
                .advice(named("accept").and(takesArguments(1)).and(takesArgument(0, named("java.net.SocketImpl"))),
                        Accept.class.getName())
                .advice(named("read").and(isPrivate()).and(takesArguments(byte[].class, int.class, int.class)),
                        Read.class.getName())
                .advice(named("write").and(isPrivate()).and(takesArguments(byte[].class, int.class, int.class)),
                        Write.class.getName())
                .advice(named("close").and(takesArguments(0)), ConnectionAdvice.Close.class.getName())
                .advice(named("shutdownOutput").and(takesArguments(0)), HalfCloseAdvice.ShutdownOutput.class.getName())
                .advice(named("shutdownInput").and(takesArguments(0)), HalfCloseAdvice.ShutdownInput.class.getName())
                .advice(named("setOption").and(takesArguments(SocketOption.class, Object.class)),
                        SocketOptionAdvice.Named.class.getName())
                .advice(named("setOption").and(takesArguments(int.class, Object.class)),
                        SocketOptionAdvice.Numbered.class.getName());
    }

    /**
     * {@code connect(SocketAddress, int)}: every {@code Socket} constructor and {@code connect} overload ends
     * here; on failure it closes the impl itself before rethrowing, which is not a close of a connection.
     */
    static final class Connect {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(0) SocketAddress remote,
                         @Advice.FieldValue("localport") int localPort, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.connectEnd(socket, remote, localPort, start, thrown);
        }
    }

    /** {@code accept(SocketImpl)} on a listening impl: its argument comes back connected to a client. */
    static final class Accept {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object server, @Advice.Argument(0) Object accepted,
                         @Advice.FieldValue("localport") int listeningPort, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.acceptEnd(server, accepted, listeningPort, start, thrown);
        }
    }

    /**
     * {@code read(byte[], int, int)}, private, behind both the socket's input stream and the impl's own: returns
     * -1 at end of stream and throws {@code SocketTimeoutException} when {@code SO_TIMEOUT} elapses.
     */
    static final class Read {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Return int n, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown, @Advice.FieldValue("timeout") int soTimeoutMillis) {
            SocketEvents.readEnd(socket, start, n, thrown, soTimeoutMillis);
        }
    }

    /** {@code write(byte[], int, int)}, private: writes all of {@code len} bytes or throws. */
    static final class Write {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(2) int len, @Advice.Enter long start,
                         @Advice.Thrown Throwable thrown) {
            SocketEvents.writeEnd(socket, start, len, thrown);
        }
    }

}
