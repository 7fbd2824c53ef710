package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a recording into findings per endpoint: who closed, why, who reconnected, how fast, in one verdict.
 * Pure: no I/O, no clock, no state; the same snapshot always gives the same findings.
 */
public final class ReconnectAnalysis {

    private ReconnectAnalysis() {
    }

    /** Findings for every endpoint, the most churning first. */
    public static List<EndpointFindings> analyze(RecordingSnapshot recording) {
        Map<Integer, StackTrace> stacks = new HashMap<>();
        for (StackTrace stack : recording.stacks()) {
            stacks.put(stack.id(), stack);
        }
        List<EndpointFindings> findings = new ArrayList<>();
        for (EndpointSnapshot endpoint : recording.endpoints()) {
            findings.add(analyze(endpoint, stacks));
        }
        findings.sort(Comparator.comparingLong(EndpointFindings::churn).reversed()
                .thenComparing(Comparator.comparingLong((EndpointFindings f) -> f.endpoint().closed()).reversed())
                .thenComparing(f -> f.endpoint().endpoint().key()));
        return findings;
    }

    static EndpointFindings analyze(EndpointSnapshot e, Map<Integer, StackTrace> stacks) {
        CloseCause dominant = null;
        long dominantCount = 0;
        for (Map.Entry<CloseCause, Long> entry : e.closesByCause().entrySet()) {
            if (entry.getValue() > dominantCount) {
                dominant = entry.getKey();
                dominantCount = entry.getValue();
            }
        }
        Attribution closer = attribute(e.closeStacks(), stacks);
        Attribution reopener = attribute(e.reconnectStacks(), stacks);
        Attribution failedConnector = attribute(e.failedConnectStacks(), stacks);
        int timeoutMillis = mostFrequent(e.timeoutSettings());
        long medianGap = Durations.median(e.reconnectGaps());
        long medianDelay = Durations.median(e.closeDelays());
        long medianInFlight = Durations.median(e.inFlightAges());
        String verdict = verdict(e, dominant, dominantCount, timeoutMillis, medianDelay, medianInFlight, closer,
                reopener, medianGap);
        return new EndpointFindings(e, verdict, dominant, closer, reopener, failedConnector,
                Durations.median(e.lifetimes()), medianGap, medianDelay, medianInFlight, timeoutMillis);
    }

    private static String verdict(EndpointSnapshot e, CloseCause dominant, long count, int timeoutMillis,
                                  long medianDelay, long medianInFlight, Attribution closer, Attribution reopener,
                                  long medianGap) {
        StringBuilder v = new StringBuilder();
        if (e.closed() == 0) {
            v.append(e.opened() == 0 ? "never connected" : "no connection closed yet (" + e.open() + " open)");
        } else {
            String times = count + " of " + e.closed() + " closes";
            switch (dominant) {
                case READ_TIMEOUT:
                    v.append("this JVM closed the connection (").append(times).append(") ")
                            .append(Durations.format(medianDelay)).append(" after a read timed out (SO_TIMEOUT ")
                            .append(timeoutMillis).append(" ms)");
                    break;
                case END_OF_STREAM:
                    v.append("the peer closed the connection first (").append(times)
                            .append(" after end of stream); this JVM closed its side ")
                            .append(Durations.format(medianDelay)).append(" later");
                    break;
                case RESET:
                    v.append("the connection was reset (").append(times).append(")");
                    break;
                case IO_ERROR:
                    v.append("this JVM closed the connection after an I/O error (").append(times).append(")");
                    break;
                case COLLECTED:
                    v.append("connections were never closed and were garbage collected (").append(times)
                            .append("): a leak");
                    break;
                default:
                    v.append("this JVM closed the connection with no error on it (").append(times)
                            .append("): application or pool logic");
                    break;
            }
            if (e.requestInFlightCloses() > 0) {
                v.append(", ").append(e.requestInFlightCloses() == e.closed() ? "every time" : e.requestInFlightCloses() + " times")
                        .append(" with a request in flight (")
                        .append(e.endpoint().accepted() ? "received " : "written ")
                        .append(Durations.format(medianInFlight)).append(" before the close, unanswered)");
                if (dominant == CloseCause.READ_TIMEOUT) {
                    v.append("; the peer's late reply will meet a closed socket (RST)");
                }
            }
            if (closer.stack() != null && closer.frame() >= 0) {
                v.append("; closed in ").append(shortFrame(closer));
            }
        }
        if (e.reconnects() > 0) {
            v.append(e.endpoint().accepted() ? "; clients reconnected " : "; reconnected ").append(e.reconnects()).append(e.reconnects() == 1 ? " time" : " times")
                    .append(", ").append(Durations.format(medianGap)).append(" after the close");
            if (reopener.stack() != null && reopener.frame() >= 0) {
                v.append(", by ").append(shortFrame(reopener));
            }
        }
        if (e.failedConnects() > 0) {
            v.append("; ").append(e.failedConnects()).append(" connection attempts failed (")
                    .append(failures(e.failuresByReason())).append(")");
        }
        return v.toString();
    }

    /** {@code Class.method(File.java:88)}: the frame without its package, as people say it. */
    static String shortFrame(Attribution a) {
        String frame = a.where();
        int paren = frame.indexOf('(');
        String qualified = paren < 0 ? frame : frame.substring(0, paren);
        int method = qualified.lastIndexOf('.');
        int cls = method > 0 ? qualified.lastIndexOf('.', method - 1) : -1;
        return cls < 0 ? frame : frame.substring(cls + 1);
    }

    static String failures(Map<String, Long> byReason) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Long> entry : byReason.entrySet()) {
            out.append(out.length() == 0 ? "" : ", ").append(entry.getValue()).append(' ').append(entry.getKey());
        }
        return out.toString();
    }

    private static Attribution attribute(Map<Integer, Long> counts, Map<Integer, StackTrace> stacks) {
        long total = 0;
        int best = StackTable.NO_STACK;
        long bestCount = 0;
        for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
            total += entry.getValue();
            boolean better = entry.getValue() > bestCount
                    || (entry.getValue() == bestCount && entry.getKey() < best);
            if (entry.getKey() != StackTable.NO_STACK && better) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        StackTrace stack = stacks.get(best);
        if (stack == null) {
            return new Attribution(null, 0, total, -1, -1, -1);
        }
        int frame = Frames.firstOutsideJdk(stack);
        int caller = frame < 0 ? -1 : Frames.nextOutsideJdk(stack, frame, null);
        int application = frame < 0 ? -1
                : Frames.nextOutsideJdk(stack, frame, Frames.packageOf(stack.className(frame)));
        return new Attribution(stack, bestCount, total, frame, caller, application);
    }

    private static int mostFrequent(Map<Integer, Long> counts) {
        int best = 0;
        long bestCount = 0;
        for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }
}
