package io.socktrace.agent.report;

import io.socktrace.agent.analysis.Attribution;
import io.socktrace.agent.analysis.CloseShapeTotals;
import io.socktrace.agent.analysis.Durations;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.CloseShapes;
import io.socktrace.agent.bootstrap.CloseWaitLeak;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The text report's lines about closes that are not plain closes: half-closes by this JVM, resets it sent
 * ({@code SO_LINGER} 0), and CLOSE_WAIT leaks (connections the peer closed that this JVM still holds open).
 */
final class CloseShapesText {

    /** CLOSE_WAIT leaks listed one per line per endpoint; the rest are counted. */
    static final int LEAKS_SHOWN = 5;

    private CloseShapesText() {
    }

    /** The header's line, if there is anything to say. */
    static void header(StringBuilder out, RecordingSnapshot r) {
        CloseShapeTotals t = CloseShapeTotals.of(r.endpoints());
        if (!t.any()) {
            return;
        }
        StringBuilder line = new StringBuilder();
        if (t.closeWaits() > 0) {
            line.append(t.closeWaits()).append(" CLOSE_WAIT ").append(t.closeWaits() == 1 ? "leak" : "leaks")
                    .append(" (the peer closed, still open after closeWait=").append(closeWait(r)).append(')');
        }
        if (t.closedLate() > 0) {
            line.append(line.length() == 0 ? "" : ", ").append(t.closedLate())
                    .append(" closed late (CLOSE_WAIT for closeWait=").append(closeWait(r)).append(" or more)");
        }
        if (t.outputShutdowns() + t.inputShutdowns() > 0) {
            line.append(line.length() == 0 ? "" : ", ").append(t.outputShutdowns()).append(" shutdownOutput, ")
                    .append(t.inputShutdowns()).append(" shutdownInput");
        }
        if (t.resetsSent() > 0) {
            line.append(line.length() == 0 ? "" : ", ").append(t.resetsSent()).append(" reset by this JVM (RST)");
        }
        out.append("closing: ").append(line).append('\n');
    }

    /** An endpoint's lines, after its closes. */
    static void endpoint(StringBuilder out, EndpointSnapshot e, RecordingSnapshot r, Libraries libraries,
                         LongFunction<String> time) {
        CloseShapes s = e.closeShapes();
        if (s.outputShutdowns() > 0) {
            out.append("  half-closed  this JVM half-closed ").append(connections(s.outputShutdowns()))
                    .append(" (shutdownOutput: FIN sent, then read on)\n");
        }
        if (s.inputShutdowns() > 0) {
            out.append("  half-closed  this JVM shut down input of ").append(connections(s.inputShutdowns()))
                    .append(" (shutdownInput)\n");
        }
        if (s.resetsSent() > 0) {
            out.append("  reset        this JVM reset ").append(connections(s.resetsSent()))
                    .append(" (RST): closed with SO_LINGER 0; the peer's next read or write fails with a reset\n");
        }
        if (s.closeWaits() > 0) {
            closeWaits(out, s, r, libraries, time);
        }
        if (s.closedLate() > 0) {
            TextReport.wrap(out, "  CLOSE_WAIT   ", connections(s.closedLate()) + " closed by this JVM only "
                    + closeWait(r) + " or more after the peer closed (end of stream read): a leak that ended");
        }
    }

    private static void closeWaits(StringBuilder out, CloseShapes s, RecordingSnapshot r, Libraries libraries,
                                   LongFunction<String> time) {
        TextReport.wrap(out, "  CLOSE_WAIT   ", connections(s.closeWaits()) + " still open " + closeWait(r)
                + " or more after the peer closed (end of stream read): a leak, this JVM never closed "
                + (s.closeWaits() == 1 ? "it" : "them"));
        List<CloseWaitLeak> leaks = s.closeWaitLeaks();
        for (int i = 0; i < leaks.size() && i < LEAKS_SHOWN; i++) {
            CloseWaitLeak leak = leaks.get(i);
            out.append("    ").append(leak.peer() != null ? "from " + leak.peer() : ":" + leak.localPort())
                    .append(leak.openedBeforeRecording() ? "  open before recording, first seen " : "  open ")
                    .append(time.apply(leak.openedMicros()));
            if (leak.connectThread() != null) {
                out.append(" by \"").append(leak.connectThread()).append('"');
            }
            if (leak.connectStackId() > 0) {
                out.append(" [s").append(leak.connectStackId()).append(']');
            }
            out.append("  EOF ").append(time.apply(leak.eofMicros())).append(" read by \"")
                    .append(leak.readerThread()).append('"');
            if (leak.eofStackId() > 0) {
                out.append(" [s").append(leak.eofStackId()).append(']');
            }
            out.append("  still open ").append(Durations.format(leak.openForMicros())).append(" later\n");
        }
        int more = s.closeWaits() - Math.min(leaks.size(), LEAKS_SHOWN);
        if (more > 0) {
            out.append("    (").append(more).append(" more)\n");
        }
        Attribution opener = CloseShapeTotals.leakedBy(s, stacksById(r), libraries);
        if (opener == null) {
            return;
        }
        if (opener.stack() == null) {
            out.append("  leaked by    (no opening stack known: opened before recording, or not sampled)\n");
        } else {
            TextReport.attribution(out, "leaked by", opener);
        }
    }

    /** What a cycle line says about half-closes, after its last write and read. */
    static void cycleHalfCloses(StringBuilder out, Cycle c, LongFunction<String> time) {
        if (c.outputShutdownMicros() != 0) {
            out.append("  shutdownOutput ").append(time.apply(c.outputShutdownMicros())).append(" (FIN sent)");
        }
        if (c.inputShutdownMicros() != 0) {
            out.append("  shutdownInput ").append(time.apply(c.inputShutdownMicros()));
        }
    }

    /** What a cycle line says after its close: an RST this JVM sent. */
    static void cycleAfterClose(StringBuilder out, Cycle c) {
        if (c.resetSent()) {
            out.append("  RST sent (SO_LINGER 0)");
        }
    }

    private static String connections(long n) {
        return n + (n == 1 ? " connection" : " connections");
    }

    private static String closeWait(RecordingSnapshot r) {
        return Durations.format(r.settings().closeWaitNanos() / 1_000);
    }

    private static Map<Integer, StackTrace> stacksById(RecordingSnapshot r) {
        Map<Integer, StackTrace> stacks = new HashMap<>();
        for (StackTrace stack : r.stacks()) {
            stacks.put(stack.id(), stack);
        }
        return stacks;
    }
}
