package io.socktrace.scenario.grpc;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC server that pings each connection after 10 s without data ({@code keepAliveTime}; gRPC raises anything
 * shorter to 10 s) and closes it when the ping is not answered within 500 ms ({@code keepAliveTimeout}). Prints
 * its port and {@code terminated=N} as each connection ends; serves until the file named by the argument exists.
 */
public final class KeepAliveServer {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        AtomicInteger terminated = new AtomicInteger();
        Echo.serveUntil(NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(500, TimeUnit.MILLISECONDS)
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public void transportTerminated(Attributes attributes) {
                        System.out.println("terminated=" + terminated.incrementAndGet());
                    }
                })
                .addService(Echo.service())
                .build()
                .start(), Path.of(args[0]));
    }
}
