package io.socktrace.bench.suite;

/**
 * How a client JVM is started: as it is, with socktrace (default options, or capturing every stack), or with the
 * JDK's own socket events recorded instead (or Flight Recorder with its defaults, for start-up).
 */
enum Variant {
    BASELINE("baseline"),
    SOCKTRACE("with socktrace"),
    SOCKTRACE_ALL_STACKS("with socktrace, stackRate=all"),
    JFR("JFR socket events"),
    /** Flight Recorder started at launch with its defaults, as a user would: the start-up comparison. */
    JFR_AT_LAUNCH("JFR at launch");

    private final String label;

    Variant(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
