package io.socktrace.scenario.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request/response on one epoll connection, both ends in this JVM: 64 bytes out, echoed back, the next sent when
 * the answer arrives. Warms up for the first argument's seconds, then prints round trips per second over the
 * second argument's seconds. For measuring what the Netty hooks cost, with and without the agent.
 */
public final class EpollPingPong {

    public static void main(String[] args) throws Exception {
        long warmUp = Long.parseLong(args[0]) * 1_000_000_000L;
        long measure = Long.parseLong(args[1]) * 1_000_000_000L;
        EventLoopGroup group = new EpollEventLoopGroup(2);
        AtomicLong trips = new AtomicLong();
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg); // echo
                        }

                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                private int pending = 64;

                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(ctx.alloc().buffer(64).writeZero(64));
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    pending -= ((ByteBuf) msg).readableBytes();
                                    ((ByteBuf) msg).release();
                                    if (pending <= 0) {
                                        pending = 64;
                                        trips.incrementAndGet();
                                        ctx.writeAndFlush(ctx.alloc().buffer(64).writeZero(64));
                                    }
                                }
                            });
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            long start = System.nanoTime();
            Thread.sleep(warmUp / 1_000_000);
            long before = trips.get();
            long from = System.nanoTime();
            Thread.sleep(measure / 1_000_000);
            long done = trips.get() - before;
            System.out.printf("roundTripsPerSecond=%.0f%n", done * 1e9 / (System.nanoTime() - from));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
