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
 * A gRPC client whose channel goes idle one second after a call ({@code idleTimeout}, gRPC's minimum): gRPC then
 * shuts the transport down (GOAWAY, close) and connects again for the next call. Two calls, each followed by the
 * wait for that transport to end, so every connection is closed by idle mode, not by the channel's shutdown. The
 * idle timer fires on gRPC's timer thread; the subchannel it shuts down lets its transport go 5 s later
 * ({@code ManagedChannelImpl.SUBCHANNEL_SHUTDOWN_DELAY_SECONDS}), and the close itself runs on the event loop.
 */
public final class IdleModeClient {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        Semaphore terminated = new Semaphore(0);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(args[0]))
                .usePlaintext()
                .idleTimeout(1, TimeUnit.SECONDS)
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
                // idle after 1 s, the transport shut down 5 s later; it ends when its socket has closed
                System.out.println("transportTerminated=" + terminated.tryAcquire(15, TimeUnit.SECONDS));
                System.out.println("state=" + channel.getState(false));
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
