package io.socktrace.demo;

import io.socktrace.demo.memcache.MemcachePool;
import io.socktrace.demo.tyrant.SlowMemcachedServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo application: a web app's session writes against a memcached-protocol server, as in
 * the original story where a PHP app using the memcache extension talked to Tokyo Tyrant. Its one
 * "permanent" connection was closed and reopened every so often: a reply slower than the
 * extension's 1 s read timeout made the extension fail the server, close the socket and reconnect
 * at once, while the application's own retry (sleep 2 s) never came into it. Run it under the
 * socktrace agent to see which code closes and reopens the connection, and why.
 *
 * <p>By default it starts {@link SlowMemcachedServer} in-process, which answers every 6th set
 * after 1.5 s.
 */
public final class App {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** The PHP application's own retry pause after a failed store. */
    private static final long APP_RETRY_PAUSE_MILLIS = 2000;
    /** Far more than a run can make; only there so the loop is bounded in count as well as time. */
    private static final long MAX_ITERATIONS = 10_000_000;

    private static final Logger log = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.out, System.err);
        if (exitCode != EXIT_OK) {
            System.exit(exitCode);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            err.println("socktrace-demo: " + e.getMessage());
            if (e.showUsage()) {
                err.print(DemoOptions.USAGE);
            }
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
            return EXIT_OK;
        }

        SlowMemcachedServer server = null;
        String host = options.serverHost();
        int port = options.serverPort();
        if (options.usesBuiltInServer()) {
            try {
                server = new SlowMemcachedServer(InetAddress.getLoopbackAddress(), 0,
                        options.lateEvery(), options.lateMillis()).start();
            } catch (IOException e) {
                log.error("could not start the built-in server: {}", e.toString());
                return EXIT_FAILED;
            }
            host = server.host();
            port = server.port();
        } else {
            log.info("using the external server at {}:{}{}", host.contains(":") ? "[" + host + "]" : host, port,
                    options.lateOptionGiven() ? " (--late-every/--late-ms apply to the built-in server only)" : "");
        }

        MemcachePool pool = new MemcachePool().addServer(host, port);
        RunCounts counts;
        try {
            counts = storeSessions(pool, options);
        } finally {
            pool.close();
            if (server != null) {
                server.stop();
            }
        }
        log.info("summary: {} requests ({} stores, {} gets) in {} s; failed stores: {}, wrong gets: {}, "
                        + "server failures: {}, reconnects: {}{}",
                counts.stores + counts.gets, counts.stores, counts.gets, options.seconds(),
                counts.failedStores, counts.wrongGets, pool.serverFailureCount(), pool.reconnectCount(),
                server == null ? "" : ", late replies from the server: " + server.lateReplyCount());
        return EXIT_OK;
    }

    /** Requests made during a run. */
    private static final class RunCounts {
        long stores;
        long gets;
        long failedStores;
        long wrongGets;
    }

    /**
     * The application loop: store a session, read it back, pause. A failed store is retried after
     * the application's own 2 s pause — the pool has already reconnected long before that.
     */
    private static RunCounts storeSessions(MemcachePool pool, DemoOptions options) {
        RunCounts counts = new RunCounts();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
        long session = 0;
        for (long iteration = 0; iteration < MAX_ITERATIONS && System.nanoTime() < deadline; iteration++) {
            String key = "session:" + session;
            byte[] value = sessionValue(session);
            counts.stores++;
            if (!pool.store(key, value)) {
                counts.failedStores++;
                log.info("store failed, retrying in 2 s");
                if (!sleepBefore(APP_RETRY_PAUSE_MILLIS, deadline)) {
                    break;
                }
                continue; // retry the same session
            }
            counts.gets++;
            byte[] read = pool.get(key);
            if (!Arrays.equals(read, value)) {
                counts.wrongGets++;
                log.info("get {} did not return the stored value", key);
            }
            session++;
            if (!sleepBefore(options.intervalMillis(), deadline)) {
                break;
            }
        }
        return counts;
    }

    private static byte[] sessionValue(long session) {
        return ("user=" + (1000 + session % 97) + ";cart=" + (session % 5) + ";seen=" + session)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sleeps for {@code millis} but not past the deadline; false if interrupted. */
    private static boolean sleepBefore(long millis, long deadline) {
        long remainingNanos = deadline - System.nanoTime();
        long remainingMillis = (remainingNanos + 999_999) / 1_000_000; // round up: wake at or after the deadline
        long pause = Math.min(millis, Math.max(0, remainingMillis));
        if (pause == 0) {
            return true;
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
