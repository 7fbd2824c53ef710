package io.socktrace.scenario.idle;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

/**
 * spymemcached against a memcached started with {@code -o idle_timeout=1}: each round gets a key at once, after
 * {@value #SHORT_MILLIS} ms (answered) and after {@value #LONG_MILLIS} ms, by when memcached has closed the idle
 * connection (its idle check runs about every second; 1-2.2 s seen here). spymemcached reads only while an
 * operation waits for its answer, so the close is found by the get written on it (stale reuse): spymemcached
 * cancels that get and reconnects, and the caller retries, answered on the new connection.
 */
public final class SpymemcachedIdle {

    static final int SHORT_MILLIS = 300;
    static final int LONG_MILLIS = 4_000;
    static final int ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        String[] hostPort = args[0].split(":");
        ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder().setOpTimeout(15_000)
                .setMaxReconnectDelay(1).setDaemon(true);
        MemcachedClient client = new MemcachedClient(builder.build(),
                List.of(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
        int answered = 0;
        int failed = 0;
        try {
            if (!client.set("socktrace", 0, "idle").get(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("set failed");
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int pause : new int[] {0, SHORT_MILLIS, LONG_MILLIS}) {
                    Thread.sleep(pause);
                    if (get(client)) {
                        answered++;
                    } else {
                        failed++; // written on the connection memcached had closed: cancelled, retried
                        answered += get(client) ? 1 : 0;
                    }
                }
            }
        } finally {
            client.shutdown(10, TimeUnit.SECONDS);
        }
        System.out.println("answered=" + answered);
        System.out.println("failed=" + failed);
    }

    private static boolean get(MemcachedClient client) {
        try {
            return "idle".equals(client.get("socktrace"));
        } catch (RuntimeException cancelled) { // "Cancelled", from the operation on the dropped connection
            System.out.println("failure=" + cancelled);
            return false;
        }
    }
}
