package io.socktrace.agent.bootstrap;

import java.net.InetSocketAddress;

/**
 * A non-blocking or asynchronous connect that has started but not finished: what the connect call knew (the
 * application's stack is only on that thread; {@code finishConnect} usually runs on a selector thread).
 */
final class PendingConnect {

    final Transport transport;
    final InetSocketAddress remote;
    final long startNanos;
    final int stackId;
    final String thread;
    /** The thread inside {@code finishConnect} for this connect, whose own failure handling closes the channel. */
    volatile Thread finishing;
    /** The local address bound when the connect started, where the completion does not tell it (Netty). */
    volatile InetSocketAddress local;

    PendingConnect(Transport transport, InetSocketAddress remote, long startNanos, int stackId, String thread) {
        this.transport = transport;
        this.remote = remote;
        this.startNanos = startNanos;
        this.stackId = stackId;
        this.thread = thread;
    }
}
