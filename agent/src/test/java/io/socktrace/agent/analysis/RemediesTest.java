package io.socktrace.agent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every row of the table, found from the frames a report records for that library, and the plain-words version. */
class RemediesTest {

    private static StackTrace stack(String... classes) {
        String[] methods = new String[classes.length];
        Arrays.fill(methods, "run");
        return StackTrace.of(1, classes, methods, new String[classes.length], new int[classes.length]);
    }

    private static String suggestion(String... classes) {
        Remedies.Remedy remedy = Remedies.find(Arrays.asList(null, stack(classes)));
        return (remedy == null ? "plain" : remedy.library()) + ": " + Remedies.suggest(remedy, 900_000);
    }

    @Test
    void eachKnownLibraryGetsItsOwnSettingWithTheMeasuredTime() {
        List<String[]> cases = List.of(
                new String[] {"HikariCP: set HikariCP maxLifetime below 900 ms", "sun.nio.ch.NioSocketImpl",
                    "org.postgresql.core.PGStream", "com.zaxxer.hikari.pool.PoolBase"},
                new String[] {"Apache HttpClient 5.x: evict idle connections before 900 ms: "
                    + "HttpClientBuilder.evictIdleConnections(TimeValue)", "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl",
                    "org.apache.hc.client5.http.impl.classic.MainClientExec"},
                new String[] {"Apache HttpClient 4.x: evict idle connections before 900 ms: "
                    + "HttpClientBuilder.evictIdleConnections(...)", "org.apache.http.impl.io.SessionInputBufferImpl"},
                new String[] {"JDK HttpClient: set -Djdk.httpclient.keepalive.timeout (seconds) below 900 ms",
                    "sun.nio.ch.SocketChannelImpl", "jdk.internal.net.http.ConnectionPool"},
                new String[] {"OkHttp: give the OkHttpClient a ConnectionPool whose keep-alive duration is below 900 ms",
                    "okio.InputStreamSource", "okhttp3.internal.http1.Http1ExchangeCodec"},
                new String[] {"Jedis: enable testOnBorrow, or testWhileIdle with timeBetweenEvictionRuns below 900 ms",
                    "redis.clients.jedis.util.RedisInputStream"},
                new String[] {"Reactor Netty: set ConnectionProvider.builder(name).maxIdleTime(Duration) below 900 ms",
                    "io.netty.channel.epoll.AbstractEpollChannel", "reactor.netty.resources.PooledConnectionProvider"},
                new String[] {"gRPC: set idleTimeout on the channel builder below 900 ms",
                    "io.grpc.netty.shaded.io.netty.channel.unix.FileDescriptor"},
                new String[] {"spymemcached: lower ConnectionFactoryBuilder.setTimeoutExceptionThreshold",
                    "net.spy.memcached.MemcachedConnection"},
                new String[] {"plain: close or check pooled connections idle longer than 900 ms before reusing them",
                    "sun.nio.ch.NioSocketImpl", "com.example.Cache"});
        for (String[] c : cases) {
            String got = suggestion(Arrays.copyOfRange(c, 1, c.length));
            assertTrue(got.startsWith(c[0]), got);
        }
        assertEquals(9, Remedies.TABLE.size(), "a row added to the table needs its case here");
    }

    @Test
    void noStackIsThePlainWords() {
        assertNull(Remedies.find(Arrays.asList(null, null)));
    }
}
