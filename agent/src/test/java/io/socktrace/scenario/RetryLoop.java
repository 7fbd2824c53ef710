package io.socktrace.scenario;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A client retrying a loopback port nobody listens on, a bounded number of times: {@code steady ATTEMPTS GAP_MS}
 * sleeps the same between attempts, {@code backoff ATTEMPTS FIRST_GAP_MS} doubles the sleep after each failure.
 */
public final class RetryLoop {

    public static void main(String[] args) throws Exception {
        boolean backoff = args[0].equals("backoff");
        int attempts = Integer.parseInt(args[1]);
        long sleep = Long.parseLong(args[2]);
        int port = LoopbackPorts.unused();
        System.out.println("port=" + port);
        int refused = 0;
        for (int i = 0; i < attempts; i++) {
            if (attemptOnce(port)) {
                System.out.println("connected=unexpectedly");
                return;
            }
            refused++;
            if (i < attempts - 1) {
                Thread.sleep(sleep);
                if (backoff) {
                    sleep *= 2;
                }
            }
        }
        System.out.println("refused=" + refused);
    }

    /** One attempt; false if refused. The frame the report names as the code that retries. */
    private static boolean attemptOnce(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
