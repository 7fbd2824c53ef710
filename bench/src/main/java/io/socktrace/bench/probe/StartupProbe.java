package io.socktrace.bench.probe;

/** The start-up workload: {@code main} prints one line at once; the driver times launch to that line. */
public final class StartupProbe {

    public static final String LINE = "startup-probe: main reached";

    private StartupProbe() {
    }

    public static void main(String[] args) {
        System.out.println(LINE);
        System.out.flush();
    }
}
