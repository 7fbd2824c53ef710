package io.socktrace.agent.config;

import java.util.EnumMap;
import java.util.Map;

/**
 * The agent's options, parsed once from {@code key=value,key=value}; unset options take their defaults.
 * Parsed before the bootstrap classes are injected, so this package must not refer to them.
 */
public final class AgentConfig {

    /** System properties {@code socktrace.<option>} set options too. */
    public static final String PROPERTY_PREFIX = "socktrace.";

    private final Map<Option, Object> values;

    private AgentConfig(Map<Option, Object> values) {
        this.values = values;
    }

    /**
     * Parses agent arguments; {@code null} or empty means all defaults.
     *
     * @throws ConfigException for an unknown key, a pair without {@code =}, or a value the option does not accept
     */
    /** A duration written as the options write them (500ms, 5s, 2m), in nanoseconds: for the command line's flags. */
    public static long duration(String value) {
        return Option.RECONNECT_WINDOW.duration(value);
    }

    public static AgentConfig parse(String arguments) {
        return parse(arguments, new java.util.Properties());
    }

    /**
     * Parses agent arguments over system properties ({@code -Dsocktrace.report=...}) over defaults: an option
     * given in the arguments wins.
     *
     * @throws ConfigException for an unknown key, a pair without {@code =}, or a value the option does not accept
     */
    public static AgentConfig parse(String arguments, java.util.Properties properties) {
        Map<Option, Object> values = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            String property = properties.getProperty(PROPERTY_PREFIX + option.key());
            values.put(option, option.parse(option.defaultValue()));
            if (property != null) {
                values.put(option, option.parse(property));
            }
        }
        if (arguments != null && !arguments.isBlank()) {
            for (String pair : arguments.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("malformed option '" + pair + "' (expected key=value; accepted options: "
                            + Option.keys() + ")");
                }
                Option option = Option.forKey(pair.substring(0, eq).trim());
                values.put(option, option.parse(pair.substring(eq + 1)));
            }
        }
        return new AgentConfig(values);
    }

    /** The report file, or {@code null} for standard error. */
    public String reportPath() {
        String report = (String) values.get(Option.REPORT);
        if (report.equals("file")) {
            return io.socktrace.agent.report.ReportFiles.defaultFile(format()).toString();
        }
        return report.equals("stderr") ? null : report;
    }

    /** {@code text} or {@code json}. */
    public String format() {
        return (String) values.get(Option.FORMAT);
    }

    /** The event trace file, or {@code null} for none. */
    public String tracePath() {
        String trace = (String) values.get(Option.TRACE);
        return trace.equals("off") ? null : trace;
    }

    public boolean jfr() {
        return values.get(Option.JFR).equals("on");
    }

    /** Extra library package prefixes. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> libraries() {
        return (java.util.List<String>) values.get(Option.LIBRARIES);
    }

    /** The report signal's name ({@code USR1}), or {@code null} for none. */
    public String signal() {
        String signal = (String) values.get(Option.SIGNAL);
        return signal.equals("OFF") ? null : signal;
    }

    public int cycles() {
        return (Integer) values.get(Option.CYCLES);
    }

    public int stackDepth() {
        return (Integer) values.get(Option.STACK_DEPTH);
    }

    public int maxStacks() {
        return (Integer) values.get(Option.MAX_STACKS);
    }

    /** Stack captures per second at most; 0 for every stack. */
    public int stackRate() {
        return (Integer) values.get(Option.STACK_RATE);
    }

    public int maxEndpoints() {
        return (Integer) values.get(Option.MAX_ENDPOINTS);
    }

    public int maxConnections() {
        return (Integer) values.get(Option.MAX_CONNECTIONS);
    }

    /**
     * The woven-class cache's directory, or {@code null} for none; {@code auto} is the user's cache directory.
     * Whether it can be used is decided when it is opened.
     */
    public java.nio.file.Path cacheDir() {
        String cache = (String) values.get(Option.CACHE);
        if (cache.equals("off")) {
            return null;
        }
        if (!cache.equals("auto")) {
            return java.nio.file.Path.of(cache);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        java.nio.file.Path base = xdg != null && xdg.startsWith("/") ? java.nio.file.Path.of(xdg)
                : java.nio.file.Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("socktrace");
    }

    /** Whether {@link #cacheDir} was chosen by the user rather than by default (then a problem with it is said). */
    public boolean cacheChosen() {
        return !values.get(Option.CACHE).equals("auto");
    }

    /** {@code trigger=...}, or {@code null} for none. */
    public TriggerRule trigger() {
        return (TriggerRule) values.get(Option.TRIGGER);
    }

    public long reconnectWindowNanos() {
        return (Long) values.get(Option.RECONNECT_WINDOW);
    }

    /** How long a connection the peer closed may stay open before it counts as a CLOSE_WAIT leak. */
    public long closeWaitNanos() {
        return (Long) values.get(Option.CLOSE_WAIT);
    }

    /** The options as given or defaulted, in {@code key=value} form, for the report header. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Option, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            String shown = entry.getKey() == Option.RECONNECT_WINDOW || entry.getKey() == Option.CLOSE_WAIT
                    ? ((Long) value / 1_000_000) + "ms"
                    : entry.getKey() == Option.STACK_RATE && value.equals(0) ? "all"
                    : entry.getKey() == Option.TRIGGER && value == null ? "off"
                    : value instanceof java.util.List ? String.join(":", libraries()) : String.valueOf(value);
            out.append(out.length() == 0 ? "" : ",").append(entry.getKey().key()).append('=').append(shown);
        }
        return out.toString();
    }
}
