package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.net.SocketAddress;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Where {@code java.net.Socket} connections are observed: the four advice points on {@code NioSocketImpl}. */
final class SocketInstrumentation {

    static final String NIO_SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";

    private SocketInstrumentation() {
    }

    static AgentBuilder apply(AgentBuilder builder) {
        ClassLoader adviceLoader = SocketInstrumentation.class.getClassLoader();
        return builder.type(named(NIO_SOCKET_IMPL))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(adviceLoader)
                        .advice(named("connect").and(takesArguments(SocketAddress.class, int.class)),
                                NioSocketImplAdvice.Connect.class.getName())
                        .advice(named("read").and(isPrivate()).and(takesArguments(byte[].class, int.class, int.class)),
                                NioSocketImplAdvice.Read.class.getName())
                        .advice(named("write").and(isPrivate()).and(takesArguments(byte[].class, int.class, int.class)),
                                NioSocketImplAdvice.Write.class.getName())
                        .advice(named("close").and(takesArguments(0)),
                                NioSocketImplAdvice.Close.class.getName()));
    }
}
