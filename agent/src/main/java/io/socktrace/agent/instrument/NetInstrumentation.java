package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.Net.localAddress(FileDescriptor)}: where {@code NioSocketImpl.connect} asks the kernel for the
 * local address of the connection it just made, of which it keeps only the port. The address it read is handed to
 * the recorder, so that recording the connect does not ask the kernel again (a {@code getsockname} and an
 * {@code InetAddress} made through JNI per connect).
 */
final class NetInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.Net";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer.advice(named("localAddress").and(isStatic()).and(takesArguments(FileDescriptor.class)),
                LocalAddress.class.getName());
    }

    static final class LocalAddress {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return InetSocketAddress local) {
            SocketEvents.localAddressRead(local);
        }
    }
}
