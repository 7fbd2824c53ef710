package io.socktrace.agent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deciding frame of closes seen in gRPC's reports ({@code GrpcIT}), on its relocated Netty: the close that
 * Netty's HTTP/2 handler makes once its GOAWAY is written is carried out for whoever asked for it, further out.
 */
class DecidersTest {

    private static final String NETTY = "io.grpc.netty.shaded.io.netty.";
    private static final String GRPC_NETTY = "io.grpc.netty.shaded.io.grpc.netty.";

    /** From the epoll socket's close out to the HTTP/2 handler's {@code close}, innermost first. */
    private static final String[][] HTTP2_CLOSE = {
        {NETTY + "channel.unix.FileDescriptor", "close"},
        {NETTY + "channel.epoll.AbstractEpollChannel", "doClose"},
        {NETTY + "channel.AbstractChannel$AbstractUnsafe", "close"},
        {NETTY + "channel.DefaultChannelPipeline$HeadContext", "close"},
        {NETTY + "channel.AbstractChannelHandlerContext", "close"},
        {NETTY + "handler.codec.http2.Http2ConnectionHandler$ClosingChannelFutureListener", "doClose"},
        {NETTY + "handler.codec.http2.Http2ConnectionHandler$ClosingChannelFutureListener", "operationComplete"},
        {NETTY + "channel.DefaultChannelPromise", "addListener"},
        {NETTY + "handler.codec.http2.Http2ConnectionHandler", "doGracefulShutdown"},
        {NETTY + "handler.codec.http2.Http2ConnectionHandler", "close"},
    };

    @Test
    void theServersKeepaliveTimeoutIsTheDecisionNotTheHttp2Listener() {
        StackTrace stack = stack(HTTP2_CLOSE,
                new String[] {GRPC_NETTY + "NettyServerHandler", "forcefulClose"},
                new String[] {GRPC_NETTY + "NettyServerHandler", "access$1400"},
                new String[] {GRPC_NETTY + "NettyServerHandler$KeepAlivePinger", "onPingTimeout"},
                new String[] {"io.grpc.internal.KeepAliveManager$1", "run"},
                new String[] {"io.grpc.internal.LogExceptionRunnable", "run"},
                new String[] {NETTY + "util.concurrent.AbstractEventExecutor", "runTask"},
                new String[] {"java.lang.Thread", "run"});
        assertEquals(GRPC_NETTY + "NettyServerHandler$KeepAlivePinger.onPingTimeout", decider(stack));
    }

    @Test
    void theServersGracefulShutdownClosesAfterThePingAck() {
        StackTrace stack = stack(HTTP2_CLOSE,
                new String[] {GRPC_NETTY + "NettyServerHandler", "access$1801"},
                new String[] {GRPC_NETTY + "NettyServerHandler$GracefulShutdown", "secondGoAwayAndClose"},
                new String[] {GRPC_NETTY + "NettyServerHandler$FrameListener", "onPingAckRead"},
                new String[] {NETTY + "channel.epoll.EpollIoHandler", "run"},
                new String[] {"java.lang.Thread", "run"});
        assertEquals(GRPC_NETTY + "NettyServerHandler$GracefulShutdown.secondGoAwayAndClose", decider(stack));
    }

    @Test
    void theClientsTransportShutdownIsItsGracefulClose() {
        StackTrace stack = stack(HTTP2_CLOSE,
                new String[] {GRPC_NETTY + "NettyClientHandler", "close"},
                new String[] {GRPC_NETTY + "NettyClientHandler", "gracefulClose"},
                new String[] {GRPC_NETTY + "NettyClientHandler", "write"},
                new String[] {NETTY + "channel.AbstractChannelHandlerContext", "write"},
                new String[] {GRPC_NETTY + "WriteQueue", "flush"},
                new String[] {NETTY + "util.concurrent.AbstractEventExecutor", "runTask"},
                new String[] {"java.lang.Thread", "run"});
        assertEquals(GRPC_NETTY + "NettyClientHandler.gracefulClose", decider(stack));
    }

    @Test
    void aGoAwayWrittenLaterLeavesTheListenerNamedForWantOfAnythingFurtherOut() {
        // the listener's operationComplete, called when the flush completes: only Netty's internals further out
        StackTrace stack = stack(Arrays.copyOf(HTTP2_CLOSE, 7),
                new String[] {NETTY + "util.concurrent.DefaultPromise", "notifyListener0"},
                new String[] {NETTY + "channel.ChannelOutboundBuffer", "remove"},
                new String[] {NETTY + "channel.epoll.AbstractEpollStreamChannel", "doWrite"},
                new String[] {NETTY + "channel.epoll.EpollIoHandler", "run"},
                new String[] {"java.lang.Thread", "run"});
        assertEquals(NETTY + "handler.codec.http2.Http2ConnectionHandler$ClosingChannelFutureListener"
                + ".operationComplete", decider(stack));
    }

    private static String decider(StackTrace stack) {
        int decider = Deciders.decider(stack, Frames.firstOutsideJdk(stack), Libraries.defaults());
        return stack.className(decider) + "." + stack.methodName(decider);
    }

    private static StackTrace stack(String[][] inner, String[]... outer) {
        List<String[]> frames = new ArrayList<>(List.of(inner));
        frames.addAll(List.of(outer));
        int n = frames.size();
        String[] classes = new String[n];
        String[] methods = new String[n];
        String[] files = new String[n];
        int[] lines = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = frames.get(i)[0];
            methods[i] = frames.get(i)[1];
            files[i] = "F.java";
            lines[i] = i + 1;
        }
        return StackTrace.of(1, classes, methods, files, lines);
    }
}
