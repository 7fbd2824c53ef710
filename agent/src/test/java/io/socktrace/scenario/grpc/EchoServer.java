package io.socktrace.scenario.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A gRPC server with gRPC's defaults, which never drop a connection themselves (no idle limit, keepalive every two
 * hours): whatever closes a connection is the client's doing. Prints its port, serves until the file named by the
 * argument exists.
 */
public final class EchoServer {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        Echo.serveUntil(NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(Echo.service())
                .build()
                .start(), Path.of(args[0]));
    }
}
