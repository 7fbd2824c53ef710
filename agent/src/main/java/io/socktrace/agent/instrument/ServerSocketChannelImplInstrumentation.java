package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketAddress;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.ServerSocketChannelImpl}: both {@code accept()} and the adaptor's timed
 * {@code blockingAccept} make the accepted channel in private {@code finishAccept(FileDescriptor, SocketAddress)}.
 */
final class ServerSocketChannelImplInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.ServerSocketChannelImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer.advice(named("finishAccept").and(takesArguments(2)), FinishAccept.class.getName());
    }

    static final class FinishAccept {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return SocketEvents.start();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object channel, @Advice.Argument(1) SocketAddress peer,
                         @Advice.FieldValue("localAddress") SocketAddress listening, @Advice.Enter long start) {
            SocketEvents.channelAcceptEnd(channel, peer, listening, start);
        }
    }
}
