package io.socktrace.agent.bootstrap;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything recorded about one remote endpoint, folded as it happens so that memory stays bounded however many
 * connections churn: exact counters, counts per stack, the last few cycles in full, and recent samples for
 * medians. Updated on connect and close only (never on reads or writes), under its own lock.
 */
final class EndpointAggregate {

    /** Recent samples kept for each median. */
    static final int SAMPLES = 1024;
    /** Distinct stacks counted per role before the rest are lumped under {@link StackTable#NO_STACK}. */
    static final int STACKS_PER_ROLE = 64;

    private final Endpoint endpoint;
    private final int cycleCapacity;
    private final long reconnectWindowNanos;

    private long opened;
    private long openedBefore;
    private long closed;
    private long reconnects;
    private long failedConnects;
    private long requestInFlightCloses;
    private long tlsCloses;
    private long outputShutdowns;
    private long inputShutdowns;
    private long resetsSent;
    private long closedAfterCloseWait;
    // counts are created on first use: most endpoints never see most kinds of event
    private IntCounts openedByTransport; // by ordinal
    private long firstNanos;
    private long lastNanos;
    private IntCounts closesByCause; // by ordinal
    private Map<String, Long> failuresByReason;
    private IntCounts closeStacks;
    private IntCounts reconnectStacks;
    private IntCounts failedConnectStacks;
    private IntCounts timeoutSettings;
    private final RecentValues lifetimes = new RecentValues(SAMPLES);
    private final RecentValues gaps = new RecentValues(SAMPLES);
    private final RecentValues closeDelays = new RecentValues(SAMPLES);
    private final RecentValues inFlightAges = new RecentValues(SAMPLES);
    /** The last {@code cycleCapacity} closes; grows as needed rather than sized up front. */
    private final ArrayDeque<Cycle> cycles = new ArrayDeque<>(1);
    /** Closes not yet followed by a new connection (a pool may close several before reopening). */
    static final int UNPAIRED_CLOSES = 256;

    /**
     * Closes not yet followed by a new connection, newest last; each keeps its cycle only while that is among
     * {@link #cycles}, so that closes waiting here do not keep cycles the report no longer shows.
     */
    private final ArrayDeque<PendingClose> unpairedCloses = new ArrayDeque<>(1);
    private long cyclesDropped;
    /** When failed connects started (retry storms); made at the first failure. */
    private FailedAttempts failedAttempts;
    /** Counts events against {@code trigger=...}; see {@link ReportTrigger}. */
    final TriggerWindow triggerWindow = new TriggerWindow();
    /** Created at the first close of a connection this JVM made. */
    private IdleGaps idle;

    /** This endpoint's share of stack captures ({@link StackCapture}); none: the recording's budget alone. */
    final StackSampler stackBudget;
    final StackSampler secondaryStackBudget;

    EndpointAggregate(Endpoint endpoint, RecorderSettings settings) {
        this(endpoint, settings.cycles(), settings.reconnectWindowNanos(), StackCapture.endpointBudget(settings),
                StackCapture.endpointSecondaryBudget(settings));
    }

    EndpointAggregate(Endpoint endpoint, int cycleCapacity, long reconnectWindowNanos) {
        this(endpoint, cycleCapacity, reconnectWindowNanos, null, null);
    }

    private EndpointAggregate(Endpoint endpoint, int cycleCapacity, long reconnectWindowNanos,
                              StackSampler stackBudget, StackSampler secondaryStackBudget) {
        this.endpoint = endpoint;
        this.cycleCapacity = cycleCapacity;
        this.reconnectWindowNanos = reconnectWindowNanos;
        this.stackBudget = stackBudget;
        this.secondaryStackBudget = secondaryStackBudget;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    synchronized void opened(ConnectionRecord record) {
        opened++;
        openedByTransport = add(openedByTransport, record.transport.ordinal());
        touch(record.connectStartNanos);
        PendingClose replaced = pairWithClose(record.connectStartNanos);
        if (replaced != null) {
            long gap = Math.max(0, record.connectStartNanos - replaced.closedNanos);
            record.reconnectGapNanos = gap;
            if (replaced.cycle != null) {
                replaced.cycle.reopenedGapMicros = gap / 1_000;
            }
            reconnects++;
            gaps.add(gap / 1_000);
            reconnectStacks = increment(reconnectStacks, record.connectStackId);
        }
    }

    /** A connection open since before recording, first seen in use now; not a reconnect of anything. */
    synchronized void seenOpen(ConnectionRecord record) {
        openedBefore++;
        touch(record.connectedNanos);
    }

    /** This JVM half-closed a connection (the first shutdown of that direction on it). */
    synchronized void shutdown(boolean output) {
        if (output) {
            outputShutdowns++;
        } else {
            inputShutdowns++;
        }
    }

    synchronized void connectFailed(long startNanos, String reason, int stackId) {
        failedConnects++;
        touch(startNanos);
        failuresByReason = add(failuresByReason, reason);
        failedConnectStacks = increment(failedConnectStacks, stackId);
        if (failedAttempts == null) {
            failedAttempts = new FailedAttempts();
        }
        failedAttempts.add(startNanos);
    }

    /** {@code lateForCloseWait}: closed {@code closeWait} or more after its end of stream, a leak that ended. */
    synchronized void closed(ConnectionRecord record, Cycle cycle, long closedNanos, long causeNanos,
                             boolean lateForCloseWait) {
        closed++;
        touch(closedNanos);
        closesByCause = add(closesByCause, cycle.cause().ordinal());
        if (cycle.tls()) {
            tlsCloses++;
        }
        if (cycle.resetSent()) {
            resetsSent++;
        }
        if (lateForCloseWait) {
            closedAfterCloseWait++;
        }
        if (cycle.requestInFlight()) {
            requestInFlightCloses++;
            long requested = record.closingInFlight != 0 ? record.closingRequestNanos : record.requestNanos();
            inFlightAges.add((closedNanos - requested) / 1_000);
        }
        if (cycle.cause() == CloseCause.READ_TIMEOUT) {
            timeoutSettings = add(timeoutSettings, cycle.timeoutMillis());
        }
        if (causeNanos != 0) {
            closeDelays.add(Math.max(0, closedNanos - causeNanos) / 1_000);
        }
        if (!cycle.openedBeforeRecording()) {
            lifetimes.add(cycle.lifetimeMicros());
        }
        closeStacks = increment(closeStacks, cycle.closeStackId());
        if (record.peerAddress == null) { // made by this JVM: the peer's idle timeout applies to it
            if (idle == null) {
                idle = new IdleGaps();
            }
            idle.closed(record, cycle);
        }
        if (cycles.size() == cycleCapacity) {
            detach(cycles.removeFirst());
            cyclesDropped++;
        }
        cycles.addLast(cycle);
        if (cycle.cause() != CloseCause.COLLECTED) {
            if (unpairedCloses.size() == UNPAIRED_CLOSES) {
                unpairedCloses.removeFirst();
            }
            unpairedCloses.addLast(new PendingClose(closedNanos, cycle));
        }
    }

    /**
     * Lets go of a cycle dropped from {@link #cycles}. Both deques are in close order and cycles drop oldest first,
     * so if a pending close holds it, that is the first one still holding a cycle.
     */
    private void detach(Cycle dropped) {
        for (PendingClose close : unpairedCloses) {
            if (close.cycle != null) {
                if (close.cycle == dropped) {
                    close.cycle = null;
                }
                return;
            }
        }
    }

    /** The oldest close within the reconnect window that no connection has replaced yet. */
    private PendingClose pairWithClose(long connectNanos) {
        while (!unpairedCloses.isEmpty()) {
            PendingClose close = unpairedCloses.removeFirst();
            if (connectNanos - close.closedNanos <= reconnectWindowNanos) {
                return close;
            }
        }
        return null;
    }

    private void touch(long nanos) {
        if (firstNanos == 0) {
            firstNanos = nanos;
        }
        lastNanos = Math.max(lastNanos, nanos);
    }

    static IntCounts increment(IntCounts counts, int stackId) {
        boolean kept = counts == null || stackId == StackTable.NOT_SAMPLED || counts.size() < STACKS_PER_ROLE
                || counts.contains(stackId);
        return add(counts, kept ? stackId : StackTable.NO_STACK);
    }

    /** {@code counts[key]++}, creating the counts on first use; returns them. */
    private static IntCounts add(IntCounts counts, int key) {
        if (counts == null) {
            counts = new IntCounts();
        }
        counts.add(key);
        return counts;
    }

    /**
     * {@code counts[key]++} for the rare keyed counts (failed connects, which cost an exception anyway), spelled
     * out: no lambdas (and so no bootstrap methods) on the socket path. Creates the map on first use, small and in
     * insertion order; returns it.
     */
    private static <K> Map<K, Long> add(Map<K, Long> counts, K key) {
        if (counts == null) {
            counts = new LinkedHashMap<>(4);
        }
        Long count = counts.get(key);
        counts.put(key, count == null ? 1L : count + 1);
        return counts;
    }

    private static <K extends Enum<K>> EnumMap<K, Long> enumCopy(Class<K> type, IntCounts counts) {
        return counts == null ? new EnumMap<>(type) : counts.toEnumMap(type);
    }

    private static Map<Integer, Long> copy(IntCounts counts) {
        return counts == null ? new HashMap<>() : counts.toMap();
    }

    private static <K> Map<K, Long> ordered(Map<K, Long> counts) {
        return counts == null ? new LinkedHashMap<>() : new LinkedHashMap<>(counts);
    }

    private static final long[] NO_SAMPLES = {};
    private static final Cycle[] NO_CYCLES = {};

    /**
     * The counters alone, for scrapes ({@code Totals}, JMX): no counts by key, no samples, no cycles, so that the
     * lock is held only for copying a few longs. Not for reports.
     */
    synchronized EndpointSnapshot counters(int openNow, int closeWaits) {
        return new EndpointSnapshot(endpoint, opened, openedBefore, closed, openNow, reconnects, failedConnects,
                requestInFlightCloses, tlsCloses, Map.of(), Clock.epochMicros(firstNanos), Clock.epochMicros(lastNanos),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), NO_SAMPLES, NO_SAMPLES, NO_SAMPLES,
                NO_SAMPLES, NO_CYCLES, cyclesDropped, closeShapes(closeWaits, java.util.List.of()), AttemptTimes.NONE,
                IdleObservations.NONE);
    }

    synchronized EndpointSnapshot snapshot(int openNow, int closeWaits, java.util.List<CloseWaitLeak> closeWaitLeaks,
                                           java.util.List<StillOpen> stillOpen, long stillOpenOmitted) {
        return new EndpointSnapshot(endpoint, opened, openedBefore, closed, openNow, reconnects, failedConnects,
                requestInFlightCloses, tlsCloses, enumCopy(Transport.class, openedByTransport),
                Clock.epochMicros(firstNanos), Clock.epochMicros(lastNanos),
                enumCopy(CloseCause.class, closesByCause), ordered(failuresByReason), copy(closeStacks),
                copy(reconnectStacks), copy(failedConnectStacks), copy(timeoutSettings),
                lifetimes.toArray(), gaps.toArray(), closeDelays.toArray(), inFlightAges.toArray(),
                cycles.toArray(new Cycle[0]), cyclesDropped, closeShapes(closeWaits, closeWaitLeaks),
                failedAttempts == null ? AttemptTimes.NONE : failedAttempts.times(),
                idle == null ? IdleObservations.NONE : idle.snapshot(), stillOpen, stillOpenOmitted);
    }

    /** {@link CloseShapes#NONE} for the many endpoints with nothing but plain closes. */
    private CloseShapes closeShapes(int closeWaits, java.util.List<CloseWaitLeak> closeWaitLeaks) {
        return outputShutdowns + inputShutdowns + resetsSent + closeWaits + closedAfterCloseWait == 0
                ? CloseShapes.NONE
                : new CloseShapes(outputShutdowns, inputShutdowns, resetsSent, closeWaits, closeWaitLeaks,
                        closedAfterCloseWait);
    }

    private static final class PendingClose {
        final long closedNanos;
        /** Until the cycle is dropped from {@link #cycles}; then {@code null}. */
        Cycle cycle;

        PendingClose(long closedNanos, Cycle cycle) {
            this.closedNanos = closedNanos;
            this.cycle = cycle;
        }
    }
}
