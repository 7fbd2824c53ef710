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
                new String[] {"HikariCP: its keepaliveTime and maxLifetime cannot be set below 30 s, and the "
                    + "time to stay below is 900 ms: raise the database's idle timeout well above 30 s and set "
                    + "keepaliveTime below it; until then each borrow after such an idle gap finds the connection "
                    + "dead and opens a new one", "sun.nio.ch.NioSocketImpl", "org.postgresql.core.PGStream",
                    "com.zaxxer.hikari.pool.PoolBase"},
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
                new String[] {"spymemcached: it has no idle keep-alive of its own: raise the server's idle "
                    + "timeout above the longest pause between operations, or issue a cheap operation (e.g. "
                    + "MemcachedClient.getVersions()) more often than every 900 ms; an operation on a dropped "
                    + "connection is cancelled, and the reconnect waits up to "
                    + "ConnectionFactoryBuilder.setMaxReconnectDelay (seconds)", "net.spy.memcached.MemcachedConnection"},
                new String[] {"plain: close or check pooled connections idle longer than 900 ms before reusing them",
                    "sun.nio.ch.NioSocketImpl", "com.example.Cache"});
        for (String[] c : cases) {
            String got = suggestion(Arrays.copyOfRange(c, 1, c.length));
            assertTrue(got.startsWith(c[0]), got);
        }
        assertEquals(9, Remedies.TABLE.size(), "a row added to the table needs its case here");
    }

    @Test
    void aSettingWithAFloorIsSuggestedOnlyAboveIt() {
        Remedies.Remedy hikari = Remedies.find(Arrays.asList(stack("com.zaxxer.hikari.pool.HikariPool")));
        assertEquals("set keepaliveTime below 1m00s, so the pool checks idle connections (which keeps them "
                + "alive) before the database drops them, or maxLifetime below it to retire them first",
                Remedies.suggest(hikari, 60_000_000));
        assertTrue(Remedies.suggest(hikari, 29_999_000).startsWith("its keepaliveTime and maxLifetime cannot "
                + "be set below 30 s, and the time to stay below is 29.999 s"), Remedies.suggest(hikari, 29_999_000));
    }

    @Test
    void noStackIsThePlainWords() {
        assertNull(Remedies.find(Arrays.asList(null, null)));
    }
}
