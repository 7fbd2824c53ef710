package io.socktrace.agent.bootstrap;

import java.util.List;

/**
 * How one endpoint's connections were closed, beyond a plain close: half-closes ({@code shutdownOutput} sends a
 * FIN and the connection reads on; {@code shutdownInput}), closes with {@code SO_LINGER} 0 (the kernel sends an RST
 * instead of a FIN), and connections the peer closed that this JVM still holds open (CLOSE_WAIT leaks).
 *
 * @param outputShutdowns connections this JVM shut down for output ({@code shutdownOutput}), counted once each
 * @param inputShutdowns  connections this JVM shut down for input ({@code shutdownInput}), counted once each
 * @param resetsSent      closes with {@code SO_LINGER} 0: this JVM reset the connection (RST)
 * @param closeWaits      open connections whose end of stream was read at least {@code closeWait} ago
 * @param closeWaitLeaks  the first {@value #LEAKS_KEPT} of those in full, oldest end of stream first (empty in
 *                        counters-only copies)
 * @param closedLate      connections this JVM closed at last, {@code closeWait} or more after their end of stream:
 *                        leaks that ended
 */
public record CloseShapes(long outputShutdowns, long inputShutdowns, long resetsSent, int closeWaits,
                          List<CloseWaitLeak> closeWaitLeaks, long closedLate) {

    /** Leaks seen in this recording: those still open and those closed late. */
    public long leaksSeen() {
        return closeWaits + closedLate;
    }

    /** CLOSE_WAIT leaks kept in full per endpoint and report; the rest are counted. */
    public static final int LEAKS_KEPT = 16;

    public static final CloseShapes NONE = new CloseShapes(0, 0, 0, 0, List.of(), 0);
}
