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
    private IntCounts staleStacks;

    /** Folds one closed connection this JVM made. */
    void closed(ConnectionRecord c, Cycle cycle) {
        long answered = c.longestAnsweredReuseNanos / 1_000;
        if (answered > 0) {
            reusedConnections++;
            longestAnsweredMicros = Math.max(longestAnsweredMicros, answered);
            longestReuseMicros = Math.max(longestReuseMicros, answered);
        }
        CloseCause cause = cycle.cause();
        if (cause != CloseCause.END_OF_STREAM && cause != CloseCause.RESET) {
            return;
        }
        if (cycle.requestInFlight()) {
            long gap = c.reuseIdleNanos / 1_000;
            if (gap > 0) { // a request written on a reused connection the peer had closed
                staleReuses++;
                staleMinMicros = Math.min(staleMinMicros, gap);
                staleMaxMicros = Math.max(staleMaxMicros, gap);
                longestReuseMicros = Math.max(longestReuseMicros, gap);
                foundClosed(gap);
                staleStacks = EndpointAggregate.increment(staleStacks, c.staleStackId);
            }
            return;
        }
        long gap = c.idleBefore(c.causeNanos(cause)) / 1_000;
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
                staleStacks == null ? new HashMap<>() : staleStacks.toMap());
    }
}
