package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.List;

/**
 * What to change, in one table: a known pool or client, found by the package of a frame in the stacks that wrote,
 * closed or reconnected, mapped to the one setting of its own that keeps idle connections shorter than the peer
 * does; anything else gets the plain-words version. {@code %1$s} is the idle time to stay below.
 */
public final class Remedies {

    /**
     * A library, the package its frames are in, and its suggestion; where the library's setting has a floor
     * ({@code floorMicros} > 0), the time to stay below may lie under it, and {@code belowFloor} says what to do then.
     */
    public record Remedy(String library, String packagePrefix, String template, long floorMicros,
                         String belowFloor) {

        Remedy(String library, String packagePrefix, String template) {
            this(library, packagePrefix, template, 0, null);
        }

        /** The suggestion for staying below {@code belowMicros}. */
        String suggestion(long belowMicros) {
            String below = Durations.format(belowMicros);
            return String.format(java.util.Locale.ROOT,
                    belowMicros < floorMicros && belowFloor != null ? belowFloor : template, below);
        }
    }

    static final List<Remedy> TABLE = List.of(
            // HikariConfig turns maxLifetime and keepaliveTime under 30 s back to its defaults or off
            new Remedy("HikariCP", "com.zaxxer.hikari.",
                    "set keepaliveTime below %1$s, so the pool checks idle connections (which keeps them "
                            + "alive) before the database drops them, or maxLifetime below it to retire them first",
                    30_000_000L,
                    "its keepaliveTime and maxLifetime cannot be set below 30 s, and the time to stay "
                            + "below is %1$s: raise the database's idle timeout well above 30 s and set keepaliveTime "
                            + "below it; until then each borrow after such an idle gap finds the connection dead and "
                            + "opens a new one"),
            new Remedy("Apache HttpClient 5.x", "org.apache.hc.client5.",
                    "evict idle connections before %s: HttpClientBuilder.evictIdleConnections(TimeValue) below it, "
                            + "or ConnectionConfig.custom().setValidateAfterInactivity(TimeValue) below it (the "
                            + "connection manager's setDefaultConnectionConfig) to check them before reuse"),
            new Remedy("Apache HttpClient 4.x", "org.apache.http.",
                    "evict idle connections before %s: HttpClientBuilder.evictIdleConnections(...) below it, or "
                            + "PoolingHttpClientConnectionManager.setValidateAfterInactivity below it to check them "
                            + "before reuse"),
            new Remedy("JDK HttpClient", "jdk.internal.net.http.",
                    "set -Djdk.httpclient.keepalive.timeout (seconds) below %s, so the client drops idle "
                            + "connections before the peer does"),
            new Remedy("OkHttp", "okhttp3.",
                    "give the OkHttpClient a ConnectionPool whose keep-alive duration is below %s "
                            + "(new ConnectionPool(maxIdleConnections, keepAliveDuration, unit))"),
            new Remedy("Jedis", "redis.clients.jedis.",
                    "enable testOnBorrow, or testWhileIdle with timeBetweenEvictionRuns below %s, on the "
                            + "JedisPoolConfig (or raise the server's timeout)"),
            new Remedy("Reactor Netty", "reactor.netty.",
                    "set ConnectionProvider.builder(name).maxIdleTime(Duration) below %s (the default pool: "
                            + "-Dreactor.netty.pool.maxIdleTime, in milliseconds), so the pool closes idle "
                            + "connections before the peer does"),
            new Remedy("gRPC", "io.grpc.",
                    "set idleTimeout on the channel builder below %s (gRPC takes 1 s at least), so the channel "
                            + "leaves idle connections before the peer drops them; against a proxy or load balancer "
                            + "that drops idle TCP connections, keepAliveTime below it with keepAliveWithoutCalls(true) "
                            + "(10 s at least, and the server must permit it: permitKeepAliveTime); pings do not stop "
                            + "a gRPC server's own maxConnectionIdle"),
            // spymemcached sends nothing on an idle connection; finding it closed, it cancels the operations on
            // it and reconnects after 2 s at the first attempt (ConnectionFactoryBuilder.setMaxReconnectDelay, in
            // seconds, caps that wait)
            new Remedy("spymemcached", "net.spy.memcached.",
                    "it has no idle keep-alive of its own: raise the server's idle timeout above the "
                            + "longest pause between operations, or issue a cheap operation (e.g. "
                            + "MemcachedClient.getVersions()) more often than every %1$s; an operation on a dropped "
                            + "connection is cancelled, and the reconnect waits up to "
                            + "ConnectionFactoryBuilder.setMaxReconnectDelay (seconds)"));

    /** The plain-words version, for connections no known library manages. */
    static final String PLAIN = "close or check pooled connections idle longer than %s before reusing them, or "
            + "raise the peer's idle timeout above the pool's";

    private Remedies() {
    }

    /** The remedy of the first frame (top first) of the first stack that is in a known library's package. */
    public static Remedy find(List<StackTrace> stacks) {
        for (StackTrace stack : stacks) {
            if (stack == null) {
                continue;
            }
            for (int i = 0; i < stack.depth(); i++) {
                String cls = stack.className(i);
                for (Remedy remedy : TABLE) {
                    if (cls.startsWith(remedy.packagePrefix())) {
                        return remedy;
                    }
                }
            }
        }
        return null;
    }

    /** The suggestion for {@code remedy} ({@code null}: the plain-words version). */
    public static String suggest(Remedy remedy, long belowMicros) {
        return remedy == null ? String.format(java.util.Locale.ROOT, PLAIN, Durations.format(belowMicros))
                : remedy.suggestion(belowMicros);
    }
}
