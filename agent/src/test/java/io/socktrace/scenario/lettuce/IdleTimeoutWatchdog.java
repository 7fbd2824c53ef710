package io.socktrace.scenario.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.EpollProvider;

/**
 * Lettuce against a real redis-server whose idle {@code timeout} is 1 s: between commands the connection idles
 * 2.5 s, redis closes it, and Lettuce's {@code ConnectionWatchdog} reconnects, twice. With
 * {@code netty-transport-native-epoll} on the class path Lettuce uses epoll (printed, so a fallback cannot pass).
 */
public final class IdleTimeoutWatchdog {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + EpollProvider.isAvailable());
        RedisClient client = RedisClient.create("redis://" + args[0]);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.configSet("timeout", "1");
            try {
                for (int round = 0; round < 3; round++) {
                    System.out.println("ping=" + redis.ping());
                    if (round < 2) {
                        Thread.sleep(2_500); // idle past the server's timeout: redis closes, the watchdog reconnects
                    }
                }
            } finally {
                redis.configSet("timeout", "0");
            }
        } finally {
            client.shutdown();
        }
    }
}
