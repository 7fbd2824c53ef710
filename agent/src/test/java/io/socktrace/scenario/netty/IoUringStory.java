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
import io.netty.channel.ServerChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.Version;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The story over Netty's native io_uring transport, 4.2's ({@code io.netty.channel.uring}) or the 4.1
 * incubator's ({@code io.netty.incubator.channel.uring}), whichever is on the class path, client and servers in this
 * JVM: a client whose {@code ReadTimeoutHandler} (300 ms) closes the connection to a server that never answers, and
 * whose close listener reconnects, three times; a server that closes after its answer (end of stream); one that
 * resets (SO_LINGER 0); a connect refused; a connect that Netty's connect timeout ends (a full accept queue).
 * The transport is set up by reflection (the tests compile against Netty 4.1 alone). Prints what it ran on, so that
 * a silent fallback to NIO cannot pass; exits at once, printing why, if io_uring is not available here.
 */
public final class IoUringStory {

    private static final int TIMEOUT_CYCLES = 3;

    /** One line's io_uring classes. */
    private static final class Uring {
        final boolean available;
        final Throwable unavailabilityCause;
        final Class<? extends Channel> socketChannel;
        final Class<? extends ServerChannel> serverChannel;
        final String packageName;

        @SuppressWarnings("unchecked")
        Uring() throws ReflectiveOperationException {
            String pkg = "io.netty.channel.uring.";
            String prefix = "IoUring";
            try {
                Class.forName(pkg + "IoUring");
            } catch (ClassNotFoundException onNetty41) {
                pkg = "io.netty.incubator.channel.uring.";
                prefix = "IOUring";
            }
            Class<?> ioUring = Class.forName(pkg + prefix);
            packageName = pkg;
            available = (Boolean) ioUring.getMethod("isAvailable").invoke(null);
            unavailabilityCause = (Throwable) ioUring.getMethod("unavailabilityCause").invoke(null);
            socketChannel = (Class<? extends Channel>) Class.forName(pkg + prefix + "SocketChannel");
            serverChannel = (Class<? extends ServerChannel>) Class.forName(pkg + prefix + "ServerSocketChannel");
        }

        EventLoopGroup group(int threads) throws ReflectiveOperationException {
            if (packageName.startsWith("io.netty.incubator")) {
                return (EventLoopGroup) Class.forName(packageName + "IOUringEventLoopGroup")
                        .getConstructor(int.class).newInstance(threads);
            }
            Class<?> factory = Class.forName("io.netty.channel.IoHandlerFactory");
            Object handlers = Class.forName(packageName + "IoUringIoHandler").getMethod("newFactory").invoke(null);
            return (EventLoopGroup) Class.forName("io.netty.channel.MultiThreadIoEventLoopGroup")
                    .getConstructor(int.class, factory).newInstance(threads, handlers);
        }
    }

    public static void main(String[] args) throws Exception {
        Uring uring = new Uring();
        System.out.println("ioUringAvailable=" + uring.available);
        System.out.println("nettyVersion=" + Version.identify().get("netty-transport").artifactVersion());
        if (!uring.available) {
            System.out.println("unavailable=" + uring.unavailabilityCause);
            return;
        }
        EventLoopGroup group = uring.group(2);
        System.out.println("eventLoop=" + group.next().getClass().getName());
        try {
            Channel silent = server(group, uring, Mode.SILENT);
            Channel closing = server(group, uring, Mode.ANSWER_THEN_CLOSE);
            Channel resetting = server(group, uring, Mode.RESET);
            System.out.println("serverChannel=" + silent.getClass().getName());
            System.out.println("silentPort=" + port(silent));
            System.out.println("closingPort=" + port(closing));
            System.out.println("resetPort=" + port(resetting));

            timeoutsAndReconnects(group, uring, port(silent));
            once(group, uring, port(closing));
            once(group, uring, port(resetting));
            refused(group, uring);
            connectTimesOut(group, uring);
            Thread.sleep(200); // the servers see the clients' closes
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private enum Mode { SILENT, ANSWER_THEN_CLOSE, RESET }

    private static Channel server(EventLoopGroup group, Uring uring, Mode mode) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(uring.serverChannel)
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

    private static Bootstrap client(EventLoopGroup group, Uring uring,
                                    java.util.function.Supplier<ChannelInboundHandlerAdapter> handler) {
        return new Bootstrap().group(group).channel(uring.socketChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(300, TimeUnit.MILLISECONDS), handler.get());
                    }
                });
    }

    /** The client's reconnect watchdog: every close of the connection reconnects, until the cycles are done. */
    private static void timeoutsAndReconnects(EventLoopGroup group, Uring uring, int port) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        Bootstrap bootstrap = client(group, uring, () -> new ChannelInboundHandlerAdapter() {
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
    private static void once(EventLoopGroup group, Uring uring, int port) throws InterruptedException {
        Channel channel = client(group, uring, () -> new ChannelInboundHandlerAdapter() {
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

    private static void refused(EventLoopGroup group, Uring uring) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        System.out.println("refusedPort=" + port);
        ChannelFuture connect = client(group, uring, ChannelInboundHandlerAdapter::new)
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).await();
        System.out.println("refused=" + (connect.cause() == null ? "connected" : connect.cause().getClass().getSimpleName()));
    }

    /**
     * Netty's connect timeout (300 ms): a server with a backlog of 1 that never accepts; Linux completes two
     * handshakes (the JDK sockets queued first) and drops the next SYNs, so the io_uring connect never completes.
     */
    private static void connectTimesOut(EventLoopGroup group, Uring uring) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            System.out.println("fullPort=" + server.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket socket = new Socket();
                    socket.connect(address, 1_000);
                    queued.add(socket);
                }
                ChannelFuture connect = client(group, uring, ChannelInboundHandlerAdapter::new)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300).connect(address).await();
                System.out.println("connectTimeout="
                        + (connect.cause() == null ? "connected" : connect.cause().getClass().getSimpleName()));
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }
}
