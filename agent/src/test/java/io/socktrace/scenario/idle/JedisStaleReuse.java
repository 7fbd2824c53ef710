package io.socktrace.scenario.idle;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Jedis's pool against a redis-server started with {@code --timeout 1}: each pooled connection is reused after
 * 100 ms (answered), then after 2.5 s, by when redis has closed it: the PING is written on a closed connection
 * (stale reuse), Jedis throws, and the caller retries on a new connection. On a slow machine a 100 ms pause may
 * idle past the timeout too (redis counts whole seconds): every failed PING is printed as one. The pool tests nothing on borrow or
 * while idle (Jedis's defaults for a plain {@code JedisPoolConfig} with the idle test off).
 */
public final class JedisStaleReuse {

    static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        String[] hostPort = args[0].split(":");
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(1);
        config.setTestOnBorrow(false);
        config.setTestWhileIdle(false);
        config.setTimeBetweenEvictionRuns(java.time.Duration.ofMillis(-1));
        int answered = 0;
        int failed = 0;
        try (JedisPool pool = new JedisPool(config, hostPort[0], Integer.parseInt(hostPort[1]))) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int pause : new int[] {0, 100, 2_500}) { // 2.5 s: idle past redis's timeout, which closes it
                    Thread.sleep(pause);
                    if (ping(pool)) {
                        answered++;
                    } else {
                        failed++; // written on a connection redis had closed: Jedis throws, the caller retries
                        answered += ping(pool) ? 1 : 0;
                    }
                }
            }
        }
        System.out.println("answered=" + answered);
        System.out.println("failed=" + failed);
    }

    private static boolean ping(JedisPool pool) {
        try (Jedis jedis = pool.getResource()) {
            return "PONG".equals(jedis.ping());
        } catch (JedisConnectionException closed) {
            return false;
        }
    }
}
