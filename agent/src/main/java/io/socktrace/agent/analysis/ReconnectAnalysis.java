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

    /** Findings for every endpoint, the most churning first, with the default {@link Libraries}. */
    public static List<EndpointFindings> analyze(RecordingSnapshot recording) {
        return analyze(recording, Libraries.defaults());
    }

    /** Findings for every endpoint, the most churning first. */
    public static List<EndpointFindings> analyze(RecordingSnapshot recording, Libraries libraries) {
        Map<Integer, StackTrace> stacks = new HashMap<>();
        for (StackTrace stack : recording.stacks()) {
            stacks.put(stack.id(), stack);
        }
        List<EndpointFindings> findings = new ArrayList<>();
        for (EndpointSnapshot endpoint : recording.endpoints()) {
            findings.add(analyze(endpoint, stacks, libraries));
        }
        findings.sort(Comparator.comparingLong(EndpointFindings::churn).reversed()
                .thenComparing(Comparator.comparingLong((EndpointFindings f) -> f.endpoint().closed()).reversed())
                .thenComparing(f -> f.endpoint().endpoint().key()));
        return findings;
    }

    static EndpointFindings analyze(EndpointSnapshot e, Map<Integer, StackTrace> stacks, Libraries libraries) {
        CloseCause dominant = null;
        long dominantCount = 0;
        for (Map.Entry<CloseCause, Long> entry : e.closesByCause().entrySet()) {
            if (entry.getValue() > dominantCount) {
                dominant = entry.getKey();
                dominantCount = entry.getValue();
            }
        }
        Attribution closer = attribute(e.closeStacks(), stacks, libraries);
        Attribution reopener = attribute(e.reconnectStacks(), stacks, libraries);
        Attribution failedConnector = attribute(e.failedConnectStacks(), stacks, libraries);
        int timeoutMillis = mostFrequent(e.timeoutSettings());
        long medianGap = Durations.median(e.reconnectGaps());
        long medianDelay = Durations.median(e.closeDelays());
        long medianInFlight = Durations.median(e.inFlightAges());
        String verdict = verdict(e, dominant, dominantCount, timeoutMillis, medianDelay, medianInFlight, closer,
                reopener, medianGap);
        IdleFindings idle = PeerIdleTimeout.analyze(e, stacks, libraries, closer, reopener);
        if (idle.staleReuses() > 0) {
            verdict += "; " + staleReuse(idle);
        }
        return new EndpointFindings(e, verdict, dominant, closer, reopener, failedConnector,
                Durations.median(e.lifetimes()), medianGap, medianDelay, medianInFlight, timeoutMillis, idle);
    }

    /**
     * The pattern in one sentence, most important first: how often it reconnected, why and where it was closed,
     * who reopened it how fast, failed attempts, and what follows for the peer.
     */
    private static String verdict(EndpointSnapshot e, CloseCause dominant, long count, int timeoutMillis,
                                  long medianDelay, long medianInFlight, Attribution closer, Attribution reopener,
                                  long medianGap) {
        List<String> parts = new ArrayList<>();
        if (e.reconnects() > 0) {
            parts.add((e.endpoint().accepted() ? "clients reconnected " : "reconnected ") + e.reconnects()
                    + (e.reconnects() == 1 ? " time" : " times"));
        }
        if (e.closed() == 0) {
            parts.add(e.opened() + e.openedBefore() == 0 ? "never connected"
                    : "no connection closed yet (" + e.open() + " open)");
        } else {
            parts.add(closes(e, dominant, count, timeoutMillis, medianDelay, medianInFlight, closer));
        }
        if (e.reconnects() > 0) {
            String by = reopener.decidedBy() != null ? " by " + shortFrame(reopener.decidedBy())
                    : reopener.stack() != null && reopener.frame() >= 0 ? " by " + shortFrame(reopener) : "";
            parts.add((e.endpoint().accepted() ? "accepted again " : "reopened ") + Durations.format(medianGap)
                    + " later" + by);
        }
        if (e.failedConnects() > 0) {
            parts.add(e.failedConnects() + " connection attempts failed (" + failures(e.failuresByReason()) + ")");
        }
        if (dominant == CloseCause.READ_TIMEOUT && e.requestInFlightCloses() > 0 && !e.endpoint().accepted()) {
            parts.add("the peer's late reply will meet a closed socket (RST)");
        }
        if (e.closeShapes().leaksSeen() > 0) {
            parts.add(closeWaitLeaks(e.closeShapes()));
        }
        return String.join("; ", parts);
    }

    /** CLOSE_WAIT leaks, for the verdict: those still open, and those this JVM closed only later. */
    private static String closeWaitLeaks(io.socktrace.agent.bootstrap.CloseShapes s) {
        long seen = s.leaksSeen();
        StringBuilder v = new StringBuilder().append(seen).append(seen == 1 ? " CLOSE_WAIT leak (" : " CLOSE_WAIT leaks (");
        if (s.closeWaits() > 0) {
            v.append(s.closeWaits()).append(s.closeWaits() == 1 ? " connection" : " connections")
                    .append(" the peer closed that this JVM still holds open");
        }
        if (s.closedLate() > 0) {
            v.append(s.closeWaits() > 0 ? ", " : "").append(s.closedLate())
                    .append(s.closedLate() == 1 ? " connection" : " connections")
                    .append(" this JVM closed only closeWait or more after the peer had");
        }
        return v.append(')').toString();
    }

    private static String closes(EndpointSnapshot e, CloseCause dominant, long count, int timeoutMillis,
                                 long medianDelay, long medianInFlight, Attribution closer) {
        StringBuilder v = new StringBuilder().append(count).append(" of ").append(e.closed()).append(" closes");
        switch (dominant) {
            case READ_TIMEOUT:
                v.append(" by this JVM ").append(Durations.format(medianDelay))
                        .append(" after a read timeout (SO_TIMEOUT ").append(timeoutMillis).append(" ms)");
                break;
            case END_OF_STREAM:
                v.append(" after the peer closed first (end of stream); this JVM closed its side ")
                        .append(Durations.format(medianDelay)).append(" later");
                break;
            case RESET:
                v.append(" after a connection reset");
                break;
            case IO_ERROR:
                v.append(" by this JVM after an I/O error");
                break;
            case COLLECTED:
                return v.append(": never closed, garbage collected (a leak)").toString();
            default:
                v.append(" by this JVM with no error on the connection (application or pool logic)");
                break;
        }
        long inFlight = e.requestInFlightCloses();
        if (inFlight > 0) {
            v.append(inFlight == e.closed() ? ", every time" : ", " + inFlight).append(" with a request in flight (")
                    .append(e.endpoint().accepted() ? "received " : "sent ").append(Durations.format(medianInFlight))
                    .append(" before the close)");
        }
        if (closer.decidedBy() != null) {
            v.append(", decided in ").append(shortFrame(closer.decidedBy()));
        } else if (closer.stack() != null && closer.frame() >= 0) {
            v.append(", in ").append(shortFrame(closer));
        }
        return v.toString();
    }

    /** Stale reuse, named as such, for the verdict. */
    private static String staleReuse(IdleFindings idle) {
        Attribution by = idle.staleBy();
        return idle.staleReuses() + (idle.staleReuses() == 1 ? " stale reuse" : " stale reuses")
                + " (a request written on a connection the peer had already closed)"
                + (by.stack() != null && by.frame() >= 0 ? " in " + shortFrame(by) : "");
    }

    /** {@code Class.method(File.java:88)}: the frame without its package, as people say it. */
    static String shortFrame(Attribution a) {
        return shortFrame(a.where());
    }

    static String shortFrame(String frame) {
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

    static Attribution attribute(Map<Integer, Long> counts, Map<Integer, StackTrace> stacks,
                                         Libraries libraries) {
        long total = 0;
        long notSampled = 0;
        int best = StackTable.NO_STACK;
        long bestCount = 0;
        for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
            if (entry.getKey() == StackTable.NOT_SAMPLED) {
                notSampled = entry.getValue();
                continue;
            }
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
            return new Attribution(null, 0, total, notSampled, -1, -1, -1, -1);
        }
        int frame = Frames.firstOutsideJdk(stack);
        int caller = frame < 0 ? -1 : Frames.nextOutsideJdk(stack, frame);
        int application = frame < 0 ? -1 : Frames.application(stack, frame, libraries);
        return new Attribution(stack, bestCount, total, notSampled, frame, caller, application,
                Deciders.decider(stack, frame, libraries));
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
