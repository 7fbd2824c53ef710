package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.SocketEvents;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.security.ssl.SSLSocketImpl}: marks the connection under an {@code SSLSocket} (its own, or the
 * socket it is layered over) as TLS once a handshake completes, and notes when the TLS layer starts closing. Its bytes, connect and close already travel
 * through the instrumented socket underneath; the private {@code startHandshake(boolean)} is where both the
 * explicit and the implicit (first read or write) handshake go.
 */
final class SslSocketImplInstrumentation implements TypeInstrumentation {

    @Override
    public String typeName() {
        return "sun.security.ssl.SSLSocketImpl";
    }

    @Override
    public AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        return transformer
                .advice(named("startHandshake").and(takesArguments(boolean.class)), Handshake.class.getName())
                .advice(named("close").and(takesArguments(0)), Close.class.getName());
    }

    /** {@code close()}: before close_notify is written, so that it does not look like a request in flight. */
    static final class Close {

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sslSocket) {
            SocketEvents.tlsClose(sslSocket);
        }
    }

    static final class Handshake {

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object sslSocket, @Advice.Thrown Throwable thrown) {
            SocketEvents.tlsHandshakeEnd(sslSocket, thrown);
        }
    }
}
