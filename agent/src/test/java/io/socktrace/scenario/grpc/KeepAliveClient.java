package io.socktrace.scenario.grpc;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientTransportFilter;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client that calls, then waits for its connection to end, then calls again. The test freezes this JVM
 * ({@code SIGSTOP}) after the first answer, so the server's keepalive ping goes unanswered and the server closes
 * the connection; resumed, the client sees the close and connects again for its second call.
 */
public final class KeepAliveClient {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        Semaphore terminated = new Semaphore(0);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(args[0]))
                .usePlaintext()
                .addTransportFilter(new ClientTransportFilter() {
                    @Override
                    public void transportTerminated(Attributes attributes) {
                        terminated.release();
                    }
                })
                .build();
        try {
            for (int call = 0; call < 2; call++) {
                String answer = ClientCalls.blockingUnaryCall(channel.newCall(Echo.METHOD,
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "call " + call);
                System.out.println("answer=" + answer);
                if (call == 0) {
                    // frozen meanwhile; the wait covers the server's 10 s keepalive time and the freeze
                    System.out.println("transportTerminated=" + terminated.tryAcquire(40, TimeUnit.SECONDS));
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
