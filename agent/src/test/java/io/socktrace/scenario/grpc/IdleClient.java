package io.socktrace.scenario.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client with no keepalive that calls three times with a pause longer than the server's idle limit after
 * each call (1.2 s, or the second argument in milliseconds): each pause ends with the server dropping the connection,
 * and the next call makes gRPC connect again.
 */
public final class IdleClient {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        long pauseMillis = args.length > 1 ? Long.parseLong(args[1]) : 1_200;
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(args[0]))
                .usePlaintext()
                .build();
        try {
            for (int call = 0; call < 3; call++) {
                String answer = ClientCalls.blockingUnaryCall(channel.newCall(Echo.METHOD,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "call " + call);
                System.out.println("answer=" + answer);
                Thread.sleep(pauseMillis); // the server drops the idle connection meanwhile
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
