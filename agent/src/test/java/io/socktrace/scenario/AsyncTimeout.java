package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.channels.CompletionHandler;

/**
 * {@code AsynchronousSocketChannel}: connect, a read with a 200 ms timeout that the silent server lets expire,
 * then the client closes; twice. Then a connect to a port nobody listens on.
 */
public final class AsyncTimeout {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.SILENT)) {
            System.out.println("port=" + server.port());
            int timeouts = 0;
            for (int i = 0; i < 2; i++) {
                AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
                channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))
                        .get(5, TimeUnit.SECONDS);
                channel.write(ByteBuffer.wrap("request\n".getBytes())).get(5, TimeUnit.SECONDS);
                if (readTimesOut(channel)) {
                    timeouts++;
                    giveUp(channel);
                }
            }
            System.out.println("timeouts=" + timeouts);
        }
        int port = LoopbackPorts.unused();
        System.out.println("refusedPort=" + port);
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).get(5, TimeUnit.SECONDS);
            System.out.println("refused=false");
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("refused=" + (e.getCause() instanceof java.net.ConnectException));
        }
    }

    static boolean readTimesOut(AsynchronousSocketChannel channel) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        channel.read(ByteBuffer.allocate(64), 200, TimeUnit.MILLISECONDS, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void unused) {
                done.countDown();
            }

            @Override
            public void failed(Throwable e, Void unused) {
                failure.set(e);
                done.countDown();
            }
        });
        done.await(5, TimeUnit.SECONDS);
        return failure.get() instanceof InterruptedByTimeoutException;
    }

    static void giveUp(AsynchronousSocketChannel channel) throws Exception {
        channel.close();
    }
}
