package io.socktrace.bench.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.Version;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Netty workloads: request/response on one epoll channel per client, one request in flight, driven by the
 * channel's event loop (the answer's {@code channelRead} sends the next 64 bytes), counted by the same rule as
 * {@code ClientMain}'s threads: the warm-up starts after the first answer, and only answers inside the measured
 * window count, with the allocation of the event loop thread (named {@code client-N}) over that window.
 *
 * <p>Epoll or nothing: {@code Epoll.isAvailable()}, the channel's class and its event loop's class are checked,
 * and any other transport fails the run, so a fallback to NIO never produces a number.
 *
 * <p>Written against the API Netty 4.1 and 4.2 share ({@code EpollEventLoopGroup}, deprecated in 4.2 but the same
 * {@code EpollIoHandler} underneath), so the bench jar can be built with either line.
 */
@SuppressWarnings("deprecation")
public final class NettyEpoll {

    private static final String EVENT_LOOP = "io.netty.channel.epoll.EpollEventLoop";

    private static InetSocketAddress localServer;
    private static volatile String serverFailure;

    private NettyEpoll() {
    }

    /** The Netty version on the class path (of its epoll classes), for the tables. */
    public static String version() {
        Version epoll = Version.identify().get("netty-transport-classes-epoll");
        return epoll == null ? "unknown" : epoll.artifactVersion().replace(".Final", "");
    }

    /** One client connection's worker, not started yet. */
    static ClientMain.Worker client(String name, InetSocketAddress remote, ClientMain.Window window) {
        requireEpoll();
        return new Client(name, remote, window);
    }

    /** An epoll echo server in this JVM (one event loop thread, {@code server-0}), started on first use. */
    static synchronized InetSocketAddress localEchoServer() throws IOException {
        requireEpoll();
        if (localServer == null) {
            EventLoopGroup group = new EpollEventLoopGroup(1, daemon("server-0"));
            ChannelFuture bind = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true).childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                throw new IOException("the epoll echo server did not bind", bind.cause());
            }
            String wrong = notEpoll(bind.channel(), EpollServerSocketChannel.class);
            if (wrong != null) {
                throw new IllegalStateException("the echo server " + wrong);
            }
            localServer = (InetSocketAddress) bind.channel().localAddress();
        }
        return localServer;
    }

    private static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available (" + Epoll.unavailabilityCause()
                    + "); no Netty epoll number without it", Epoll.unavailabilityCause());
        }
    }

    /** What is wrong with {@code channel} if it is not {@code expected} on an epoll event loop, else null. */
    private static String notEpoll(Channel channel, Class<? extends Channel> expected) {
        String loop = channel.eventLoop().getClass().getName();
        if (channel.getClass() != expected || !loop.equals(EVENT_LOOP)) {
            return "is a " + channel.getClass().getName() + " on a " + loop + ", not a " + expected.getName()
                    + " on an " + EVENT_LOOP;
        }
        return null;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new FastThreadLocalThread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The in-JVM server's side: answers every read with itself. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String wrong = notEpoll(ctx.channel(), EpollSocketChannel.class);
            if (wrong != null) {
                serverFailure = "the echo server's connection " + wrong;
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            serverFailure = "the echo server's connection failed: " + cause;
            ctx.close();
        }
    }

    /** One connection on its own event loop: sends 64 bytes, waits for all 64 back, counts, sends again. */
    private static final class Client extends ChannelInboundHandlerAdapter implements ClientMain.Worker {

        private final String name;
        private final InetSocketAddress remote;
        private final ClientMain.Window window;
        private final byte[] request = Message.request();
        private final CountDownLatch ended = new CountDownLatch(1);
        private EventLoopGroup group;
        private volatile Throwable failure;

        // the event loop's, like MeasuredThread's locals
        private int received;
        private boolean first = true;
        private boolean measuring;
        private long started;
        private long end;
        private long allocatedBefore;
        private long count;

        // written on the event loop before ended opens
        private long ops;
        private long measuredNanos;
        private long allocatedBytes;

        Client(String name, InetSocketAddress remote, ClientMain.Window window) {
            this.name = name;
            this.remote = remote;
            this.window = window;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            group = new EpollEventLoopGroup(1, daemon(name));
            new Bootstrap().group(group).channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(this).connect(remote).addListener((ChannelFutureListener) connect -> {
                        if (!connect.isSuccess()) {
                            fail(connect.cause());
                        }
                    });
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String wrong = notEpoll(ctx.channel(), EpollSocketChannel.class);
            if (wrong != null) {
                fail(new IllegalStateException("the client's connection " + wrong));
                ctx.close();
                return;
            }
            send(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            received += in.readableBytes();
            in.release();
            if (received < Message.SIZE) {
                return;
            }
            if (received > Message.SIZE) {
                fail(new IOException("the answer was longer than the " + Message.SIZE + " bytes sent"));
                ctx.close();
                return;
            }
            received = 0;
            if (first) {
                first = false;
                window.ready.countDown();
                try {
                    window.go.await(); // the main thread opens it as soon as every worker is ready
                } catch (InterruptedException e) {
                    fail(e);
                    ctx.close();
                    return;
                }
                send(ctx);
                return;
            }
            if (counted()) {
                ended.countDown();
                ctx.close();
            } else {
                send(ctx);
            }
        }

        /** {@code MeasuredThread}'s rule, after each answer: true once the measured window has ended. */
        private boolean counted() {
            long now = System.nanoTime();
            if (measuring) {
                count++;
                if (now >= end) {
                    allocatedBytes = ClientMain.THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
                    measuredNanos = now - started;
                    ops = count;
                    return true;
                }
            } else {
                ClientMain.Span span = window.span;
                if (span != null && now >= span.start()) {
                    measuring = true;
                    started = now;
                    end = span.end();
                    allocatedBefore = ClientMain.THREADS.getCurrentThreadAllocatedBytes();
                }
            }
            return false;
        }

        private void send(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().directBuffer(Message.SIZE).writeBytes(request), ctx.voidPromise());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ended.getCount() > 0) {
                String server = serverFailure;
                fail(new IOException("the connection closed before the end of the run"
                        + (server != null ? " (" + server + ")" : "")));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }

        private void fail(Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            window.ready.countDown(); // never leave the main thread waiting for a worker that failed
            ended.countDown();
        }

        @Override
        public boolean await(long millis) throws InterruptedException {
            boolean done = ended.await(millis, TimeUnit.MILLISECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            return done;
        }

        @Override
        public Throwable failure() {
            return failure;
        }

        @Override
        public long ops() {
            return ops;
        }

        @Override
        public long measuredNanos() {
            return measuredNanos;
        }

        @Override
        public long allocatedBytes() {
            return allocatedBytes;
        }
    }
}
