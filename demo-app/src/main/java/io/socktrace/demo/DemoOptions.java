package io.socktrace.demo;

import io.socktrace.demo.tyrant.SlowMemcachedServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The demo's command line.
 *
 * @param serverHost     external server's loopback address (a literal), or null for the built-in one
 * @param serverPort     external server's port, 0 for the built-in one
 * @param seconds        how long the application loop runs
 * @param intervalMillis pause between application requests
 * @param lateEvery      built-in server: every Nth set is answered late (0 = never)
 * @param lateMillis     built-in server: how late
 * @param lateOptionGiven whether --late-every or --late-ms was given (they only apply to the built-in server)
 * @param help           --help was asked for
 */
record DemoOptions(String serverHost, int serverPort, int seconds, long intervalMillis,
                   int lateEvery, long lateMillis, boolean lateOptionGiven, boolean help) {

    static final String USAGE = """
            Usage: java -jar socktrace-demo.jar [options]

            A memcache client keeps one connection open "forever", yet closes and reopens it
            whenever the server's reply outlasts the client's 1 s read timeout.

            Options:
              --seconds N         how long to run (default 15)
              --interval-ms N     pause between application requests (default 200)
              --late-every N      built-in server: answer every Nth set late, 0 = never (default 6)
              --late-ms N         built-in server: how late, in ms (default 1500)
              --server HOST:PORT  use this memcached-protocol server instead of the built-in one;
                                  loopback only: localhost, 127.x.x.x or [::1]
              --help              show this help

            Logs go to stdout; add -Dorg.slf4j.simpleLogger.defaultLogLevel=debug for every request.
            """;

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** A command line the demo cannot run with. */
    static final class UsageException extends Exception {

        private static final long serialVersionUID = 1L;
        private final boolean showUsage;

        UsageException(String message, boolean showUsage) {
            super(message);
            this.showUsage = showUsage;
        }

        boolean showUsage() {
            return showUsage;
        }
    }

    static DemoOptions parse(String[] args) throws UsageException {
        String serverHost = null;
        int serverPort = 0;
        int seconds = 15;
        long intervalMillis = 200;
        int lateEvery = SlowMemcachedServer.DEFAULT_LATE_EVERY_SET;
        long lateMillis = SlowMemcachedServer.DEFAULT_LATE_REPLY_MILLIS;
        boolean lateOptionGiven = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                return new DemoOptions(null, 0, seconds, intervalMillis, lateEvery, lateMillis, false, true);
            }
            if (!name.equals("--seconds") && !name.equals("--interval-ms") && !name.equals("--late-every")
                    && !name.equals("--late-ms") && !name.equals("--server")) {
                throw new UsageException("unknown option '" + arg + "'", true);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value", true);
                }
                value = args[++i];
            }
            switch (name) {
                case "--seconds" -> seconds = (int) number(name, value, 1, 86_400);
                case "--interval-ms" -> intervalMillis = number(name, value, 0, 60_000);
                case "--late-every" -> {
                    lateEvery = (int) number(name, value, 0, 1_000_000);
                    lateOptionGiven = true;
                }
                case "--late-ms" -> {
                    lateMillis = number(name, value, 0, 60_000);
                    lateOptionGiven = true;
                }
                default -> { // --server
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new UsageException("--server needs HOST:PORT, got '" + value + "'", true);
                    }
                    serverPort = (int) number("--server port", value.substring(colon + 1), 1, 65_535);
                    serverHost = loopbackLiteral(value.substring(0, colon));
                }
            }
        }
        return new DemoOptions(serverHost, serverPort, seconds, intervalMillis, lateEvery, lateMillis,
                lateOptionGiven, false);
    }

    boolean usesBuiltInServer() {
        return serverHost == null;
    }

    private static long number(String name, String text, long min, long max) throws UsageException {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " needs a whole number from " + min + " to " + max
                + ", got '" + text + "'", true);
    }

    /**
     * Accepts only loopback hosts, and resolves nothing but "localhost" (through the hosts file):
     * the demo must never talk to another machine.
     */
    private static String loopbackLiteral(String host) throws UsageException {
        String literal = host;
        if (host.startsWith("[") && host.endsWith("]")) {
            literal = host.substring(1, host.length() - 1);
        }
        boolean isLocalhost = literal.toLowerCase(Locale.ROOT).equals("localhost");
        boolean isLiteral = IPV4_LITERAL.matcher(literal).matches()
                || (literal.contains(":") && IPV6_LITERAL.matcher(literal).matches());
        if (isLocalhost || isLiteral) {
            try {
                InetAddress address = InetAddress.getByName(literal);
                if (address.isLoopbackAddress()) {
                    return address.getHostAddress();
                }
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new UsageException("--server must be a loopback address (localhost, 127.x.x.x or [::1]), got '"
                + host + "'", false);
    }
}
