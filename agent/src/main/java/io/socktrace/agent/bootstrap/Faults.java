package io.socktrace.agent.bootstrap;

import java.util.Locale;

/**
 * Failures injected on purpose, for the tests that prove a failure inside the agent never reaches the
 * application: set from the system property {@code socktrace.test.faults} (a comma list of {@link Fault} names).
 * Not an option: production runs never set it, and then every check is one volatile read of zero.
 */
public final class Faults {

    /** Where a failure can be injected. */
    public enum Fault {
        /** Recording a connect or a close. */
        RECORD,
        /** Capturing a stack. */
        STACK,
        /** Rendering a report. */
        REPORT,
        /** Writing a report file. */
        WRITE,
        /** Writing an event to the trace, on its thread. */
        TRACE,
        /** Building the instrumentation, on its thread. */
        BUILD
    }

    public static final String PROPERTY = "socktrace.test.faults";

    private static volatile int enabled;

    private Faults() {
    }

    /** Enables the faults named in {@code spec} (e.g. {@code "stack,write"}); unknown names are ignored. */
    public static void enable(String spec) {
        int mask = 0;
        if (spec != null) {
            for (String name : spec.split(",")) {
                for (Fault fault : Fault.values()) {
                    if (fault.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                        mask |= 1 << fault.ordinal();
                    }
                }
            }
        }
        enabled = mask;
    }

    public static boolean enabled(Fault fault) {
        return enabled != 0 && (enabled & (1 << fault.ordinal())) != 0;
    }

    /** Throws if {@code fault} is enabled. */
    public static void check(Fault fault) {
        if (enabled(fault)) {
            throw new IllegalStateException("socktrace test fault: " + fault);
        }
    }
}
