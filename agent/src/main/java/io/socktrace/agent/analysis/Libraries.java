package io.socktrace.agent.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Package prefixes of client libraries, pools and frameworks: when the code that closed or reconnected is one of
 * these, the report also names the first application frame beyond it. The defaults cover common drivers, pools
 * and HTTP clients; the {@code libraries} option adds more.
 */
public final class Libraries {

    static final List<String> DEFAULTS = List.of(
            // connection pools
            "com.zaxxer.hikari.", "org.apache.commons.pool2.", "org.apache.commons.dbcp2.", "com.mchange.v2.",
            "org.apache.tomcat.jdbc.",
            // database and cache drivers
            "com.mysql.", "org.mariadb.jdbc.", "org.postgresql.", "oracle.jdbc.", "com.microsoft.sqlserver.",
            "redis.clients.jedis.", "io.lettuce.core.", "org.redisson.", "net.spy.memcached.", "com.mongodb.",
            "com.datastax.", "org.apache.kafka.", "com.rabbitmq.client.", "org.elasticsearch.", "co.elastic.clients.",
            // HTTP and RPC clients, servers and frameworks
            "org.apache.http.", "org.apache.hc.", "okhttp3.", "okio.", "io.netty.", "reactor.netty.", "io.grpc.",
            "org.eclipse.jetty.", "org.apache.tomcat.", "org.apache.catalina.", "org.apache.coyote.", "io.undertow.",
            "org.springframework.", "com.google.common.", "reactor.core.", "kotlin.", "kotlinx.coroutines.", "scala.");

    private final List<String> prefixes;

    private Libraries(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public static Libraries defaults() {
        return new Libraries(DEFAULTS);
    }

    /** The defaults plus {@code extra} package prefixes. */
    public static Libraries withExtra(List<String> extra) {
        List<String> all = new ArrayList<>(DEFAULTS);
        for (String prefix : extra) {
            all.add(prefix.endsWith(".") ? prefix : prefix + ".");
        }
        return new Libraries(all);
    }

    public boolean contains(String className) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
