package io.socktrace.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every agent option, in one table: its name, what it accepts, its default and its help text. Parsing, error
 * messages and the usage text are all derived from here.
 */
public enum Option {

    REPORT("report", "stderr", "stderr|file|PATH",
            "where the report goes at exit and on the signal: standard error, or a file replaced atomically "
                    + "(file: socktrace-PID.txt or .json in the temporary directory)") {
        @Override
        Object parse(String value) {
            if (value.isEmpty()) {
                throw invalid(value);
            }
            return value;
        }
    },
    FORMAT("format", "text", "text|json|html",
            "the report's format: text for people, JSON (documented schema) for tools, html for a timeline to open in a browser") {
        @Override
        Object parse(String value) {
            if (value.equals("text") || value.equals("json") || value.equals("html")) {
                return value;
            }
            throw invalid(value);
        }
    },
    TRACE("trace", "off", "off|PATH",
            "also stream every connection event as it happens to this file, one JSON object per line") {
        @Override
        Object parse(String value) {
            if (value.isEmpty()) {
                throw invalid(value);
            }
            return value;
        }
    },
    JFR("jfr", "on", "on|off",
            "emit socktrace.* events to JDK Flight Recorder when a recording is running") {
        @Override
        Object parse(String value) {
            if (value.equals("on") || value.equals("off")) {
                return value;
            }
            throw invalid(value);
        }
    },
    LIBRARIES("libraries", "", "PACKAGE[:PACKAGE...]",
            "package prefixes treated as libraries (beyond the built-in drivers and pools) when naming application frames") {
        @Override
        Object parse(String value) {
            List<String> prefixes = new ArrayList<>();
            for (String prefix : value.split(":")) {
                String p = prefix.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!p.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*\\.?")) {
                    throw invalid(value);
                }
                prefixes.add(p);
            }
            return List.copyOf(prefixes);
        }
    },
    SIGNAL("signal", "USR1", "USR1|USR2|off",
            "the signal that makes a running JVM write the report (recording continues)") {
        @Override
        Object parse(String value) {
            String upper = value.toUpperCase(Locale.ROOT);
            if (upper.equals("USR1") || upper.equals("USR2") || upper.equals("OFF")) {
                return upper;
            }
            throw invalid(value);
        }
    },
    CYCLES("cycles", "5", "1..1000", "closed connections shown in full per endpoint (the timeline)") {
        @Override
        Object parse(String value) {
            return integer(value, 1, 1000);
        }
    },
    STACK_DEPTH("stackDepth", "64", "1..1024", "frames kept per stack trace") {
        @Override
        Object parse(String value) {
            return integer(value, 1, 1024);
        }
    },
    MAX_STACKS("maxStacks", "4096", "16..1000000", "distinct stack traces kept; more are counted as dropped") {
        @Override
        Object parse(String value) {
            return integer(value, 16, 1_000_000);
        }
    },
    STACK_RATE("stackRate", "1000", "10..10000000|all",
            "stack traces captured per second at most; above it connects and closes are sampled (counts stay exact)") {
        @Override
        Object parse(String value) {
            return value.equals("all") ? 0 : integer(value, 10, 10_000_000);
        }
    },
    MAX_ENDPOINTS("maxEndpoints", "1024", "1..100000",
            "remote endpoints reported separately; the rest are reported together as 'other'") {
        @Override
        Object parse(String value) {
            return integer(value, 1, 100_000);
        }
    },
    MAX_CONNECTIONS("maxConnections", "100000", "16..10000000",
            "open connections tracked at once; more are counted as untracked") {
        @Override
        Object parse(String value) {
            return integer(value, 16, 10_000_000);
        }
    },
    RECONNECT_WINDOW("reconnectWindow", "5s", "DURATION, e.g. 500ms, 5s, 2m",
            "how soon after a close a new connection to the same endpoint counts as a reconnect") {
        @Override
        Object parse(String value) {
            return duration(value);
        }
    },
    CACHE("cache", "auto", "auto|off|DIR",
            "where the JDK's socket classes are kept as woven, so that later JVMs start without weaving them "
                    + "(auto: $XDG_CACHE_HOME/socktrace or ~/.cache/socktrace; the directory must be the user's own)") {
        @Override
        Object parse(String value) {
            if (value.isEmpty()) {
                throw invalid(value);
            }
            return value;
        }
    },
    CLOSE_WAIT("closeWait", "10s", "DURATION, e.g. 500ms, 10s, 2m",
            "how long a connection the peer closed (end of stream read) may stay open before it counts as a "
                    + "CLOSE_WAIT leak") {
        @Override
        Object parse(String value) {
            return duration(value);
        }
    },
    TRIGGER("trigger", "off", "off|reconnects:N/UNIT|failedConnects:N/UNIT (UNIT: s, min, h or a duration, e.g. 30s)",
            "write a report as soon as one endpoint has N reconnects (or failed connects) within one UNIT; once per "
                    + "endpoint per UNIT, and at most 5 reports per UNIT in all") {
        @Override
        Object parse(String value) {
            return value.equals("off") ? null : trigger(value);
        }
    };

    private final String key;
    private final String defaultValue;
    private final String accepted;
    private final String help;

    Option(String key, String defaultValue, String accepted, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.accepted = accepted;
        this.help = help;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String accepted() {
        return accepted;
    }

    public String help() {
        return help;
    }

    /** The typed value of {@code value}, or a {@link ConfigException} naming this option and what it accepts. */
    abstract Object parse(String value);

    static Option forKey(String key) {
        for (Option option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        throw new ConfigException("unknown option '" + key + "' (accepted options: " + keys() + ")");
    }

    static String keys() {
        return Arrays.stream(values()).map(Option::key).collect(Collectors.joining(", "));
    }

    ConfigException invalid(String value) {
        return new ConfigException("bad value '" + value + "' for option '" + key + "' (accepted: " + accepted + ")");
    }

    Integer integer(String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw invalid(value);
    }

    /** {@code reconnects:10/min}: a kind, a count from 1, and a unit or an interval from 100 ms to 24 h. */
    TriggerRule trigger(String value) {
        int colon = value.indexOf(':');
        int slash = value.indexOf('/');
        if (colon <= 0 || slash < colon) {
            throw invalid(value);
        }
        String kind = value.substring(0, colon).trim();
        if (!java.util.List.of(TriggerRule.KINDS).contains(kind)) {
            throw invalid(value);
        }
        int count;
        try {
            count = Integer.parseInt(value.substring(colon + 1, slash).trim());
        } catch (NumberFormatException notANumber) {
            throw invalid(value);
        }
        String unit = value.substring(slash + 1).trim().toLowerCase(Locale.ROOT);
        long interval;
        switch (unit) {
            case "s":
                interval = 1_000_000_000L;
                break;
            case "min":
                interval = 60_000_000_000L;
                break;
            case "h":
                interval = 3_600_000_000_000L;
                break;
            default:
                try {
                    interval = duration(unit);
                } catch (ConfigException notADuration) {
                    throw invalid(value);
                }
        }
        if (count < 1 || interval < 100_000_000L) {
            throw invalid(value);
        }
        return new TriggerRule(kind, count, interval, value.trim());
    }

    Long duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unitNanos;
        String digits;
        if (v.endsWith("ms")) {
            unitNanos = 1_000_000L;
            digits = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unitNanos = 1_000_000_000L;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unitNanos = 60_000_000_000L;
            digits = v.substring(0, v.length() - 1);
        } else {
            throw invalid(value);
        }
        try {
            long n = Long.parseLong(digits);
            if (n >= 0 && n <= 24L * 3600 * 1_000_000_000L / unitNanos) {
                return n * unitNanos;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw invalid(value);
    }
}
