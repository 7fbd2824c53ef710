package io.socktrace.scenario.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.Version;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code attach} on a Netty epoll client: one connection, to an epoll server in this JVM that never answers, opened
 * before the agent comes. Prints {@code ready}, waits for the file named by the first argument (made once the agent
 * is attached), then gives that connection a 300 ms {@code ReadTimeoutHandler} and a request, which times out and
 * closes it; connects again, and the same happens once more. Prints {@code done}, exits once the second argument's
 * file exists.
 */
public final class EpollOpenBeforeAttach {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        System.out.println("nettyVersion=" + Version.identify().get("netty-transport").artifactVersion());
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ((ByteBuf) msg).release(); // never answers
                        }

                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            System.out.println("port=" + port);
            Bootstrap client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    });
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            Channel first = client.connect(address).sync().channel();
            System.out.println("channel=" + first.getClass().getName());
            System.out.println("localPort=" + ((InetSocketAddress) first.localAddress()).getPort());
            System.out.println("ready");
            await(Path.of(args[0]));

            requestAndTimeOut(first);
            Channel second = client.connect(address).sync().channel();
            requestAndTimeOut(second);
            System.out.println("done");
            await(Path.of(args[1]));
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void requestAndTimeOut(Channel channel) throws InterruptedException {
        channel.pipeline().addFirst(new ReadTimeoutHandler(300, TimeUnit.MILLISECONDS));
        channel.writeAndFlush(Unpooled.copiedBuffer("get key\n", StandardCharsets.US_ASCII));
        if (!channel.closeFuture().await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the read timeout did not close the connection");
        }
    }

    private static void await(Path file) throws InterruptedException {
        for (int i = 0; i < 1_200 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
    }
}
