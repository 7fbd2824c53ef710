package io.socktrace.scenario.idle;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A HikariCP pool of one PostgreSQL connection against a server whose {@code idle_session_timeout} is 1 s: each
 * round queries at once, after {@value #SHORT_MILLIS} ms (answered: within HikariCP's 500 ms alive-bypass window, so
 * the query itself reuses the connection) and after {@value #LONG_MILLIS} ms, by when the server has ended the
 * session (an ErrorResponse, then its FIN): HikariCP's check at borrow ({@code Connection.isValid}) finds it dead,
 * closes it and opens another. {@code maxLifetime} long and {@code keepaliveTime} off, so that nothing of HikariCP's
 * own retires the connection first. Prints the backend process ids seen: a new one after each long gap shows the
 * server really ended the session.
 */
public final class HikariIdleSessions {

    static final int SHORT_MILLIS = 300;
    static final int LONG_MILLIS = 2_000;
    static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + args[0] + "/postgres");
        config.setUsername(args.length > 1 ? args[1] : "postgres");
        config.setMinimumIdle(1);
        config.setMaximumPoolSize(1);
        config.setMaxLifetime(30 * 60_000L);
        config.setKeepaliveTime(0);
        config.setIdleTimeout(0);
        config.setConnectionTimeout(20_000);
        config.setValidationTimeout(5_000);
        int answered = 0;
        int failed = 0;
        Set<Integer> backends = new LinkedHashSet<>();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            System.out.println("idleSessionTimeout=" + setting(pool, "idle_session_timeout"));
            for (int round = 0; round < ROUNDS; round++) {
                for (int pause : new int[] {0, SHORT_MILLIS, LONG_MILLIS}) {
                    Thread.sleep(pause);
                    try {
                        backends.add(backendPid(pool));
                        answered++;
                    } catch (SQLException e) { // a query on a session the server had ended, had the check missed it
                        failed++;
                        System.out.println("failure=" + e);
                    }
                }
            }
        }
        System.out.println("answered=" + answered);
        System.out.println("failed=" + failed);
        System.out.println("backends=" + backends.size());
    }

    private static String setting(HikariDataSource pool, String name) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }

    private static int backendPid(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
