package io.socktrace.scenario.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on {@code grpc-netty-shaded} (Netty 4.2 relocated, its epoll inside) that drops idle connections
 * ({@code maxConnectionIdle}: GOAWAY and a ping, then on the ping's ack a second GOAWAY and the close), as servers
 * behind load balancers are set up to. It asks for 500 ms; gRPC raises that to its minimum, 1 s.
 * Prints its port, serves until the file named by the argument exists.
 */
public final class IdleDroppingServer {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .maxConnectionIdle(500, TimeUnit.MILLISECONDS)
                .addService(Echo.service())
                .build()
                .start();
        Echo.serveUntil(server, Path.of(args[0]));
    }
}
