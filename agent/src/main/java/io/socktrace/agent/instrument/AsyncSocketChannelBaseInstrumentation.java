package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketOption;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.AsynchronousSocketChannelImpl}: {@code enableReading(true)} ("reading killed") is called on
 * JDK 17 and 25 only by the read-timeout task, just before the read fails with
 * {@code InterruptedByTimeoutException}; {@code shutdownOutput}/{@code shutdownInput} half-close it.
 */
final class AsyncSocketChannelBaseInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.nio.ch.AsynchronousSocketChannelImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer.advice(named("enableReading").and(takesArguments(boolean.class)), ReadKilled.class.getName())
                .advice(named("shutdownOutput").and(takesArguments(0)), HalfCloseAdvice.ShutdownOutput.class.getName())
                .advice(named("shutdownInput").and(takesArguments(0)), HalfCloseAdvice.ShutdownInput.class.getName())
                .advice(named("setOption").and(takesArguments(SocketOption.class, Object.class)),
                        SocketOptionAdvice.Named.class.getName());
    }

    static final class ReadKilled {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel, @Advice.Argument(0) boolean killed) {
            if (killed) {
                SocketEvents.asyncReadTimedOut(channel);
            }
        }
    }
}
