package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.List;
import java.util.Set;

/**
 * Which frame of a closing (or connecting) stack decided it, as opposed to the transport plumbing that carried it
 * out. One rule for any library: going outwards from the socket, skip the JDK's socket and dispatch code, the
 * library methods that only pass the operation on (named like it: {@code close}, {@code doClose},
 * {@code invokeClose}, {@code closeQuietly}..., and javac's {@code access$NNN} accessors; libraries are
 * {@link Libraries}, which the {@code libraries} option extends), and the internals of the known transports in
 * {@link #PLUMBING} (under any relocation prefix); the
 * first frame left decided. A library's own deciders (Netty's
 * {@code ReadTimeoutHandler}, the JDK HttpClient's pool, an evictor) are such frames, and so is the
 * application's handler that calls {@code ctx.close()}.
 */
final class Deciders {

    /** JDK packages that carry a close or connect out, or dispatch to whoever asked: never the decider. */
    private static final List<String> JDK_PLUMBING = List.of(
            "java.net.", "java.nio.channels.", "sun.nio.ch.", "sun.security.ssl.", "javax.net.ssl.", "java.io.",
            "java.util.concurrent.", "java.lang.Thread", "java.lang.reflect.", "jdk.internal.reflect.",
            "java.lang.invoke.", "jdk.internal.misc.", "java.security.AccessController", "java.util.stream.",
            "java.lang.Iterable", "java.util.ArrayList", "java.util.HashMap", "java.util.Collection");

    /**
     * Internals of known transports and pools, whose frames carry a decision made further out: Netty's channels,
     * pipelines, executors, promises and bootstrap; the listener of Netty's HTTP/2 handler that closes once the
     * GOAWAY is written (gRPC's keepalive and graceful shutdowns close through it); Apache HttpClient's pool entries
     * (the pool manager's {@code closeIdleConnections}, the evictor's call, is the decision).
     */
    private static final List<String> PLUMBING = List.of(
            "io.netty.channel.", "io.netty.util.concurrent.", "io.netty.util.internal.", "io.netty.bootstrap.",
            "io.netty.handler.codec.http2.Http2ConnectionHandler$ClosingChannelFutureListener",
            "org.apache.http.pool.", "org.apache.http.impl.conn.CPool", "org.apache.hc.core5.pool.");

    /** Methods that only pass a close or a connect on. */
    private static final Set<String> PASSING_ON = Set.of(
            "close", "doClose", "close0", "doClose0", "closeInternal", "implClose", "implCloseSelectableChannel",
            "closeSocket", "closeChannel", "closeNow", "closeQuietly", "closeForcibly", "forcefulClose", "invokeClose",
            "doGracefulShutdown",
            "connect", "doConnect", "connect0", "doConnect0", "invokeConnect", "connectSocket", "doResolveAndConnect",
            "doResolveAndConnect0");

    private Deciders() {
    }

    /**
     * Index of the frame that decided, or -1 if every frame is plumbing. The first frame outside the JDK, the
     * transports' internals and the libraries' pass-through methods; failing that (a close on a selector or event
     * loop thread with no application code on it), the first that only does not pass the operation on: the JDK
     * HttpClient's pool, Netty's own end-of-stream handling. When it is the application's own helper around the
     * first frame outside the JDK (the same outer class), that first frame stands: it says as much.
     *
     * @param first index of the first frame outside the JDK, -1 if none
     */
    static int decider(StackTrace stack, int first, Libraries libraries) {
        int decider = -1;
        for (int i = 0; i < stack.depth() && decider < 0; i++) {
            String cls = stack.className(i);
            if (!Frames.isJdk(cls) && !isTransport(cls) && !passesOn(stack, i, libraries)) {
                decider = i;
            }
        }
        for (int i = 0; i < stack.depth() && decider < 0; i++) {
            if (!isJdkPlumbing(stack.className(i)) && !PASSING_ON.contains(stack.methodName(i))) {
                decider = i;
            }
        }
        if (decider >= 0 && first >= 0 && decider > first
                && outer(stack.className(decider)).equals(outer(stack.className(first)))) {
            return first;
        }
        return decider;
    }

    /**
     * A library's method that only passes a close or connect on, or a synthetic accessor (an inner class calling
     * its outer class's private method); the application's own are its decisions.
     */
    private static boolean passesOn(StackTrace stack, int i, Libraries libraries) {
        String method = stack.methodName(i);
        return (PASSING_ON.contains(method) || method.startsWith("access$")) && libraries.contains(stack.className(i));
    }

    private static boolean isJdkPlumbing(String cls) {
        for (String prefix : JDK_PLUMBING) {
            if (cls.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransport(String cls) {
        for (String prefix : PLUMBING) {
            if (cls.startsWith(prefix) || cls.contains("." + prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String outer(String cls) {
        int dollar = cls.indexOf('$');
        return dollar < 0 ? cls : cls.substring(0, dollar);
    }
}
