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
    private final EnumMap<Transport, Long> openedByTransport = new EnumMap<>(Transport.class);
    private long firstNanos;
    private long lastNanos;
    private final EnumMap<CloseCause, Long> closesByCause = new EnumMap<>(CloseCause.class);
    private final Map<String, Long> failuresByReason = new LinkedHashMap<>();
    private final Map<Integer, Long> closeStacks = new HashMap<>();
    private final Map<Integer, Long> reconnectStacks = new HashMap<>();
    private final Map<Integer, Long> failedConnectStacks = new HashMap<>();
    private final Map<Integer, Long> timeoutSettings = new HashMap<>();
    private final RecentValues lifetimes = new RecentValues(SAMPLES);
    private final RecentValues gaps = new RecentValues(SAMPLES);
    private final RecentValues closeDelays = new RecentValues(SAMPLES);
    private final RecentValues inFlightAges = new RecentValues(SAMPLES);
    private final ArrayDeque<Cycle> cycles;
    /** Closes not yet followed by a new connection (a pool may close several before reopening). */
    static final int UNPAIRED_CLOSES = 256;

    /** Closes not yet followed by a new connection, newest last. */
    private final ArrayDeque<PendingClose> unpairedCloses = new ArrayDeque<>();
    private long cyclesDropped;

    EndpointAggregate(Endpoint endpoint, int cycleCapacity, long reconnectWindowNanos) {
        this.endpoint = endpoint;
        this.cycleCapacity = cycleCapacity;
        this.cycles = new ArrayDeque<>(cycleCapacity);
        this.reconnectWindowNanos = reconnectWindowNanos;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    synchronized void opened(ConnectionRecord record) {
        opened++;
        add(openedByTransport, record.transport);
        touch(record.connectStartNanos);
        PendingClose replaced = pairWithClose(record.connectStartNanos);
        if (replaced != null) {
            long gap = Math.max(0, record.connectStartNanos - replaced.closedNanos);
            record.reconnectGapNanos = gap;
            replaced.cycle.reopenedGapMicros = gap / 1_000;
            reconnects++;
            gaps.add(gap / 1_000);
            increment(reconnectStacks, record.connectStackId);
        }
    }

    /** A connection open since before recording, first seen in use now; not a reconnect of anything. */
    synchronized void seenOpen(ConnectionRecord record) {
        openedBefore++;
        touch(record.connectedNanos);
    }

    synchronized void connectFailed(long startNanos, String reason, int stackId) {
        failedConnects++;
        touch(startNanos);
        add(failuresByReason, reason);
        increment(failedConnectStacks, stackId);
    }

    synchronized void closed(ConnectionRecord record, Cycle cycle, long closedNanos, long causeNanos) {
        closed++;
        touch(closedNanos);
        add(closesByCause, cycle.cause());
        if (cycle.tls()) {
            tlsCloses++;
        }
        if (cycle.requestInFlight()) {
            requestInFlightCloses++;
            long requested = record.closingInFlight != 0 ? record.closingRequestNanos : record.requestNanos();
            inFlightAges.add((closedNanos - requested) / 1_000);
        }
        if (cycle.cause() == CloseCause.READ_TIMEOUT) {
            add(timeoutSettings, cycle.timeoutMillis());
        }
        if (causeNanos != 0) {
            closeDelays.add(Math.max(0, closedNanos - causeNanos) / 1_000);
        }
        if (!cycle.openedBeforeRecording()) {
            lifetimes.add(cycle.lifetimeMicros());
        }
        increment(closeStacks, cycle.closeStackId());
        if (cycles.size() == cycleCapacity) {
            cycles.removeFirst();
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

    private static void increment(Map<Integer, Long> counts, int stackId) {
        boolean kept = stackId == StackTable.NOT_SAMPLED || counts.containsKey(stackId)
                || counts.size() < STACKS_PER_ROLE;
        add(counts, kept ? stackId : StackTable.NO_STACK);
    }

    /** {@code counts[key]++}, spelled out: no lambdas (and so no bootstrap methods) on the socket path. */
    private static <K> void add(Map<K, Long> counts, K key) {
        Long count = counts.get(key);
        counts.put(key, count == null ? 1L : count + 1);
    }

    synchronized EndpointSnapshot snapshot(int openNow) {
        return new EndpointSnapshot(endpoint, opened, openedBefore, closed, openNow, reconnects, failedConnects,
                requestInFlightCloses, tlsCloses, new EnumMap<>(openedByTransport), Clock.epochMicros(firstNanos),
                Clock.epochMicros(lastNanos),
                new EnumMap<>(closesByCause), new LinkedHashMap<>(failuresByReason), new HashMap<>(closeStacks),
                new HashMap<>(reconnectStacks), new HashMap<>(failedConnectStacks), new HashMap<>(timeoutSettings),
                lifetimes.toArray(), gaps.toArray(), closeDelays.toArray(), inFlightAges.toArray(),
                cycles.toArray(new Cycle[0]), cyclesDropped);
    }

    private static final class PendingClose {
        final long closedNanos;
        final Cycle cycle;

        PendingClose(long closedNanos, Cycle cycle) {
            this.closedNanos = closedNanos;
            this.cycle = cycle;
        }
    }
}
