package io.socktrace.scenario.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Netty epoll client half-closes: it sends a request, {@code shutdownOutput} (the server, a plain
 * {@code ServerSocket}, reads to end of stream, answers {@code got N} and closes), and reads the answer until the
 * server's close closes the channel.
 */
public final class EpollHalfClose {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        System.out.println("nettyVersion=" + Version.identify().get("netty-transport").artifactVersion());
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            System.out.println("port=" + server.getLocalPort());
            Thread serving = new Thread(() -> serveOne(server), "counting-server");
            serving.setDaemon(true);
            serving.start();
            StringBuilder answer = new StringBuilder();
            Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    synchronized (answer) {
                                        answer.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                                    }
                                    ((ByteBuf) msg).release();
                                }
                            });
                        }
                    })
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())).sync()
                    .channel();
            client.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII)).sync();
            ((EpollSocketChannel) client).shutdownOutput().sync();
            boolean closed = client.closeFuture().await(10, TimeUnit.SECONDS);
            synchronized (answer) {
                System.out.println("answer=" + answer.toString().trim());
            }
            System.out.println("closedByPeer=" + closed);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void serveOne(ServerSocket server) {
        try (Socket client = server.accept()) {
            byte[] request = client.getInputStream().readNBytes(1 << 16);
            client.getOutputStream().write(("got " + request.length + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            System.out.println("server error: " + e);
        }
    }
}
