package io.socktrace.agent.control;

import sun.misc.Signal;

/**
 * Writes a report when the process receives a signal, SIGUSR1 by default: HotSpot uses neither SIGUSR1 nor
 * SIGUSR2 on Linux (it uses SIGQUIT for thread dumps and SIGHUP/SIGINT/SIGTERM for shutdown), and
 * {@code sun.misc.Signal} accepts both on JDK 17 and 25. The handler runs on a thread the JVM starts for it, so
 * recording goes on while the report is written.
 *
 * <p><b>Note</b>: without a handler SIGUSR1 terminates a process; send it only to JVMs running the agent.
 */
final class ReportSignal {

    private ReportSignal() {
    }

    /**
     * Installs {@code onSignal} (given the signal's name); returns false (after saying why) if the JVM refuses
     * the signal, e.g. under -Xrs.
     */
    static boolean install(String name, java.util.function.Consumer<String> onSignal) {
        try {
            Signal.handle(new Signal(name), signal -> onSignal.accept(name));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            System.err.println("socktrace: cannot handle SIG" + name + " (" + refused.getMessage()
                    + "); reports only at exit");
            return false;
        }
    }
}
