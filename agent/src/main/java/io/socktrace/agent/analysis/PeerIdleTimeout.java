package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.IdleObservations;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The peer's idle timeout from the recorded idle gaps: exact when reads waiting on idle connections saw the peer
 * close them; otherwise bounded below by the longest gap after which a reused connection was answered and above by
 * the shortest after which one was found closed. With fewer than {@link #MIN_OBSERVATIONS} it says so instead.
 */
public final class PeerIdleTimeout {

    /** Observations needed before a timeout is stated. */
    public static final int MIN_OBSERVATIONS = 3;

    private PeerIdleTimeout() {
    }

    static IdleFindings analyze(EndpointSnapshot e, Map<Integer, StackTrace> stacks, Libraries libraries,
                                Attribution closer, Attribution reopener) {
        IdleObservations o = e.idle();
        long observations = o.reusedConnections() + o.exactCloses() + o.foundClosed();
        Attribution staleBy = ReconnectAnalysis.attribute(o.staleStacks(), stacks, libraries);
        long reusedUpTo = o.longestReuseMicros() > 0 ? o.longestReuseMicros() : -1;
        if (observations == 0) {
            return new IdleFindings(0, false, false, -1, -1, true, reusedUpTo, null, o.staleReuses(), staleBy, null,
                    null);
        }
        boolean exact = o.exactCloses() >= MIN_OBSERVATIONS;
        boolean enough = observations >= MIN_OBSERVATIONS;
        long lower;
        long upper;
        if (exact) {
            lower = o.exactMinMicros();
            upper = o.exactMaxMicros();
        } else {
            lower = o.reusedConnections() > 0 ? o.longestAnsweredMicros() : -1;
            upper = min(o.foundClosedMinMicros(), o.exactMinMicros());
        }
        boolean consistent = lower < 0 || upper < 0 || lower <= upper;
        String timeout = timeout(o, observations, enough, exact, lower, upper, consistent, reusedUpTo);
        boolean dropped = o.exactCloses() + o.foundClosed() > 0;
        String library = null;
        String suggestion = null;
        long below = exact ? lower : lower > 0 ? lower : upper;
        if (enough && consistent && dropped && below > 0) {
            List<StackTrace> frames = new ArrayList<>();
            frames.add(staleBy.stack());
            frames.add(closer.stack());
            frames.add(reopener.stack());
            Remedies.Remedy remedy = Remedies.find(frames);
            library = remedy == null ? null : remedy.library();
            suggestion = Remedies.suggest(remedy, below) + " (" + basis(exact, lower, upper) + ")";
        }
        return new IdleFindings(observations, enough, exact, lower, upper, consistent, reusedUpTo, timeout,
                o.staleReuses(), staleBy, library, suggestion);
    }

    private static String timeout(IdleObservations o, long observations, boolean enough, boolean exact, long lower,
                                  long upper, boolean consistent, long reusedUpTo) {
        String reused = afterReply(o) + (reusedUpTo > 0
                ? "; this JVM reused connections idle up to " + Durations.format(reusedUpTo) : "");
        if (!enough) {
            return "too few observations to tell the peer's idle timeout (" + observations + ": "
                    + o.reusedConnections() + " answered after an idle gap, " + o.exactCloses()
                    + " idle closes seen as they came, " + o.foundClosed() + " found closed; " + MIN_OBSERVATIONS
                    + " needed)" + reused;
        }
        if (exact) {
            return "the peer closes connections idle for " + range(lower, upper) + " (exact: " + o.exactCloses()
                    + " idle closes seen as they came)" + reused;
        }
        String n = " (" + observations + " observations)";
        if (!consistent) {
            return "the peer's idle timeout is not one value: a connection idle " + Durations.format(lower)
                    + " was answered, one idle " + Durations.format(upper) + " was found closed" + n + reused;
        }
        if (lower > 0 && upper >= 0) {
            return "the peer closes connections idle longer than " + range(lower, upper) + n + reused;
        }
        if (upper >= 0) {
            return "the peer closes connections idle " + Durations.format(upper) + " or less" + n
                    + ", no reuse answered to bound it from below" + reused;
        }
        return "the peer kept connections idle up to " + Durations.format(lower) + n
                + ", none found closed: no idle timeout seen" + reused;
    }

    /**
     * Closes found after the reply to a request on a reused connection: not counted as answered, since the reply
     * may be what the peer sent as it closed (a database's idle-session error), which only the payload would tell.
     */
    private static String afterReply(IdleObservations o) {
        if (o.closedAfterReply() == 0) {
            return "";
        }
        return "; " + o.closedAfterReply() + " found closed after the reply to a request sent after "
                + range(o.closedAfterReplyMinMicros(), o.closedAfterReplyMaxMicros())
                + " idle, before any other request: that reply may be the peer's parting message (payload is not "
                + "read), so it counts as no answer";
    }

    /** Where the number in the suggestion comes from. */
    private static String basis(boolean exact, long lower, long upper) {
        if (exact) {
            return "the peer closed idle connections after " + range(lower, upper);
        }
        if (lower > 0) {
            return "the longest idle time after which the peer still answered; it closes connections idle longer than "
                    + (upper >= 0 ? range(lower, upper) : Durations.format(lower));
        }
        return "the shortest idle time after which a connection was found closed";
    }

    private static String range(long from, long to) {
        String a = Durations.format(from);
        String b = Durations.format(to);
        return a.equals(b) ? a : a + "-" + b;
    }

    private static long min(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
