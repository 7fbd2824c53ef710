package io.socktrace.scenario.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.Version;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The story over Netty's native epoll transport, client and servers in this JVM: a client whose
 * {@code ReadTimeoutHandler} (300 ms) closes the connection to a server that never answers, and whose close
 * listener reconnects, three times; a server that closes after its answer (end of stream); one that resets
 * (SO_LINGER 0); a connect refused; an {@code IdleStateHandler} whose event the application's handler closes on;
 * a {@code WriteTimeoutHandler} closing a connection whose peer does not read. Prints what it ran on, so that a silent fallback to NIO cannot pass.
 */
public final class EpollStory {

    private static final int TIMEOUT_CYCLES = 3;

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        System.out.println("nettyVersion=" + Version.identify().get("netty-transport").artifactVersion());
        EventLoopGroup group = new EpollEventLoopGroup(2);
        System.out.println("eventLoop=" + group.next().getClass().getName());
        try {
            Channel silent = server(group, Mode.SILENT);
            Channel closing = server(group, Mode.ANSWER_THEN_CLOSE);
            Channel resetting = server(group, Mode.RESET);
            Channel idle = server(group, Mode.SILENT);
            Channel stalled = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false) // never reads: the client's writes back up
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            System.out.println("silentPort=" + port(silent));
            System.out.println("closingPort=" + port(closing));
            System.out.println("resetPort=" + port(resetting));
            System.out.println("idlePort=" + port(idle));
            System.out.println("stalledPort=" + port(stalled));

            timeoutsAndReconnects(group, port(silent));
            once(group, port(closing));
            once(group, port(resetting));
            refused(group);
            closedWhenIdle(group, port(idle));
            writeTimesOut(group, port(stalled));
            Thread.sleep(200); // the servers see the clients' closes
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private enum Mode { SILENT, ANSWER_THEN_CLOSE, RESET }

    private static Channel server(EventLoopGroup group, Mode mode) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ((ByteBuf) msg).release();
                                if (mode == Mode.ANSWER_THEN_CLOSE) {
                                    ctx.writeAndFlush(Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII))
                                            .addListener(f -> ctx.close());
                                } else if (mode == Mode.RESET) {
                                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                                    ctx.close();
                                }
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static Bootstrap client(EventLoopGroup group, java.util.function.Supplier<ChannelInboundHandlerAdapter> handler) {
        return new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(300, TimeUnit.MILLISECONDS), handler.get());
                    }
                });
    }

    /** The client's reconnect watchdog: every close of the connection reconnects, until the cycles are done. */
    private static void timeoutsAndReconnects(EventLoopGroup group, int port) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        Bootstrap bootstrap = client(group, () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("get key\n", StandardCharsets.US_ASCII));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                System.out.println("clientError=" + cause.getClass().getSimpleName());
            }
        });
        connectAndWatch(bootstrap, port, closes, done);
        if (!done.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the timeout cycles did not finish");
        }
        System.out.println("timeoutCloses=" + closes.get());
    }

    private static void connectAndWatch(Bootstrap bootstrap, int port, AtomicInteger closes, CountDownLatch done) {
        ChannelFuture connect = bootstrap.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        connect.addListener(f -> {
            Channel channel = connect.channel();
            System.out.println("channel=" + channel.getClass().getName());
            channel.closeFuture().addListener(closed -> {
                if (closes.incrementAndGet() < TIMEOUT_CYCLES) {
                    connectAndWatch(bootstrap, port, closes, done); // reconnect at once, as watchdogs do
                } else {
                    done.countDown();
                }
            });
        });
    }

    /** One request; the server's answer, close or reset ends the connection. */
    private static void once(EventLoopGroup group, int port) throws InterruptedException {
        Channel channel = client(group, () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                System.out.println("error." + port + "=" + cause.getMessage());
                ctx.close();
            }
        }).connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        channel.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII)).sync();
        if (!channel.closeFuture().await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not end the connection");
        }
    }

    /** An {@code IdleStateHandler} fires, and the application's handler closes on the event. */
    private static void closedWhenIdle(EventLoopGroup group, int port) throws InterruptedException {
        Channel channel = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, 300, TimeUnit.MILLISECONDS),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event instanceof IdleStateEvent) {
                                            ctx.close(); // the application's decision
                                        }
                                    }
                                });
                    }
                })
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        if (!channel.closeFuture().await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the idle handler did not close");
        }
    }

    /** A {@code WriteTimeoutHandler} closes a connection whose write cannot complete: the server does not read. */
    private static void writeTimesOut(EventLoopGroup group, int port) throws InterruptedException {
        Channel channel = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new WriteTimeoutHandler(200, TimeUnit.MILLISECONDS),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        System.out.println("writeError=" + cause.getClass().getSimpleName());
                                    }
                                });
                    }
                })
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 << 20])); // more than the sockets' buffers hold
        if (!channel.closeFuture().await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the write timeout did not close");
        }
    }

    private static void refused(EventLoopGroup group) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        System.out.println("refusedPort=" + port);
        ChannelFuture connect = client(group, ChannelInboundHandlerAdapter::new)
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).await();
        System.out.println("refused=" + (connect.cause() == null ? "connected" : connect.cause().getClass().getSimpleName()));
    }
}
