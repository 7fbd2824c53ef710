package io.socktrace.bench.suite;

/** How a client JVM is started: as it is, with socktrace, or with the JDK's own socket events recorded instead. */
enum Variant {
    BASELINE("baseline"),
    SOCKTRACE("with socktrace"),
    JFR("JFR socket events");

    private final String label;

    Variant(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
