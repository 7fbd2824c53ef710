package io.socktrace.scenario.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client that calls three times with a pause longer than the server's idle limit between calls: each pause
 * ends with the server dropping the connection, and the next call makes gRPC connect again.
 */
public final class IdleClient {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(args[0]))
                .usePlaintext()
                .build();
        try {
            for (int call = 0; call < 3; call++) {
                String answer = ClientCalls.blockingUnaryCall(channel.newCall(Echo.METHOD,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "call " + call);
                System.out.println("answer=" + answer);
                Thread.sleep(1_200); // the server drops the idle connection meanwhile
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
