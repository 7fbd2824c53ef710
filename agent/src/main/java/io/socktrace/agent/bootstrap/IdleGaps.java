package io.socktrace.agent.bootstrap;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long connections this JVM made stayed idle before the peer kept or dropped them, folded per endpoint at
 * each close from the two gaps its {@link ConnectionRecord} keeps: a few longs, and counts per stack for stale
 * reuses (bounded like the aggregate's others). Used under the endpoint aggregate's lock.
 */
final class IdleGaps {

    private long reusedConnections;
    private long longestAnsweredMicros;
    private long longestReuseMicros;
    private long exactCloses;
    private long exactMinMicros = Long.MAX_VALUE;
    private long exactMaxMicros;
    private long foundClosed;
    private long foundClosedMinMicros = Long.MAX_VALUE;
    private long staleReuses;
    private long staleMinMicros = Long.MAX_VALUE;
    private long staleMaxMicros;
    private long closedAfterReply;
    private long closedAfterReplyMinMicros = Long.MAX_VALUE;
    private long closedAfterReplyMaxMicros;
    private IntCounts staleStacks;

    /** Folds one closed connection this JVM made. */
    void closed(ConnectionRecord c, Cycle cycle) {
        CloseCause cause = cycle.cause();
        boolean peerClosed = cause == CloseCause.END_OF_STREAM || cause == CloseCause.RESET;
        long lastReply = c.lastReplyReuseNanos / 1_000;
        long gap = c.idleBefore(c.causeNanos(cause)) / 1_000; // the idle time before the peer's close
        // The peer's close after the reply to a reused request, before any other request: that reply may have been
        // the peer's last message as it closed the connection for idleness (a database's "idle session timeout"
        // error), queued with its FIN, or an answer, then a close; only the payload would tell. A close seen as it
        // came longer after the reply than the idle gap before the request is an idle close of its own; anything
        // else is this (a blocking read that took 1 ms or more under load may have found the close queued).
        boolean afterReply = peerClosed && !cycle.requestInFlight() && lastReply > 0
                && !(c.closeSeenWaiting && gap > lastReply);
        long answered = Math.max(c.longestAnsweredReuseNanos / 1_000, afterReply ? 0 : lastReply);
        if (answered > 0) {
            reusedConnections++;
            longestAnsweredMicros = Math.max(longestAnsweredMicros, answered);
            longestReuseMicros = Math.max(longestReuseMicros, answered);
        }
        if (!peerClosed) {
            return;
        }
        if (cycle.requestInFlight()) {
            long reuse = c.reuseIdleNanos / 1_000;
            if (reuse > 0) { // a request written on a reused connection the peer had closed
                staleReuses++;
                staleMinMicros = Math.min(staleMinMicros, reuse);
                staleMaxMicros = Math.max(staleMaxMicros, reuse);
                longestReuseMicros = Math.max(longestReuseMicros, reuse);
                foundClosed(reuse);
                staleStacks = EndpointAggregate.increment(staleStacks, c.staleStackId);
            }
            return;
        }
        if (afterReply) {
            // Either way the peer closed within the idle gap before that request plus the time until the close
            // was found: the reply does not restart the idle clock.
            closedAfterReply++;
            closedAfterReplyMinMicros = Math.min(closedAfterReplyMinMicros, lastReply);
            closedAfterReplyMaxMicros = Math.max(closedAfterReplyMaxMicros, lastReply);
            longestReuseMicros = Math.max(longestReuseMicros, lastReply);
            foundClosed(lastReply + Math.max(0, c.causeNanos(cause) - c.lastWriteNanos) / 1_000);
            return;
        }
        if (c.closeSeenWaiting) {
            exactCloses++;
            exactMinMicros = Math.min(exactMinMicros, gap);
            exactMaxMicros = Math.max(exactMaxMicros, gap);
        } else {
            foundClosed(gap); // noticed when next read (a pool's check): the peer closed within the gap
        }
    }

    private void foundClosed(long gapMicros) {
        foundClosed++;
        foundClosedMinMicros = Math.min(foundClosedMinMicros, gapMicros);
    }

    IdleObservations snapshot() {
        return new IdleObservations(reusedConnections, longestAnsweredMicros, longestReuseMicros, exactCloses,
                exactCloses == 0 ? -1 : exactMinMicros, exactCloses == 0 ? -1 : exactMaxMicros, foundClosed,
                foundClosed == 0 ? -1 : foundClosedMinMicros, staleReuses, staleReuses == 0 ? -1 : staleMinMicros,
                staleReuses == 0 ? -1 : staleMaxMicros,
                staleStacks == null ? new HashMap<>() : staleStacks.toMap(), closedAfterReply,
                closedAfterReply == 0 ? -1 : closedAfterReplyMinMicros,
                closedAfterReply == 0 ? -1 : closedAfterReplyMaxMicros);
    }
}
