package io.socktrace.agent.bootstrap;

import java.util.List;
import java.util.Map;

/**
 * A consistent copy of what was recorded about one endpoint. Times are microseconds since the epoch; samples
 * (for medians) are the most recent {@value EndpointAggregate#SAMPLES} values, in microseconds.
 *
 * @param openedBefore      connections open since before recording, first seen in use (not in {@code opened})
 * @param tlsCloses         closed connections that carried TLS
 * @param openedByTransport connections opened, by the JDK API used
 * @param closeStacks       closing stack id to count; {@link StackTable#NO_STACK} collects those not kept
 * @param reconnectStacks   stack id of the connect that replaced a close, to count
 * @param lifetimes         connect start to close
 * @param reconnectGaps     close to the connect that replaced it
 * @param closeDelays       triggering event (timeout, EOF, error) to close
 * @param inFlightAges      last write to close, for closes with a request in flight
 * @param cycles            the most recent closed connections, oldest first
 * @param cyclesDropped     closed connections no longer in {@code cycles}
 * @param closeShapes       half-closes, resets this JVM sent, and CLOSE_WAIT leaks
 * @param failedAttempts    when the failed connects started (the first and the most recent), for retry storms
 * @param idle              idle gaps before reuses and peer closes (connections this JVM made)
 * @param openConnections   connections still open when the snapshot was taken, longest open first, at most
 *                          {@value OpenConnections#PER_ENDPOINT} per endpoint and {@value OpenConnections#IN_ALL}
 *                          over all endpoints
 * @param openConnectionsOmitted connections counted in {@code open} but not in {@code openConnections}
 */
public record EndpointSnapshot(Endpoint endpoint, long opened, long openedBefore, long closed, int open, long reconnects,
                               long failedConnects, long requestInFlightCloses, long tlsCloses,
                               Map<Transport, Long> openedByTransport, long firstMicros, long lastMicros,
                               Map<CloseCause, Long> closesByCause, Map<String, Long> failuresByReason,
                               Map<Integer, Long> closeStacks, Map<Integer, Long> reconnectStacks,
                               Map<Integer, Long> failedConnectStacks, Map<Integer, Long> timeoutSettings,
                               long[] lifetimes, long[] reconnectGaps, long[] closeDelays, long[] inFlightAges,
                               Cycle[] cycles, long cyclesDropped, CloseShapes closeShapes,
                               AttemptTimes failedAttempts, IdleObservations idle, List<StillOpen> openConnections,
                               long openConnectionsOmitted) {

    /** Without the open connections in full (counted in {@code open}, all omitted). */
    public EndpointSnapshot(Endpoint endpoint, long opened, long openedBefore, long closed, int open, long reconnects,
                            long failedConnects, long requestInFlightCloses, long tlsCloses,
                            Map<Transport, Long> openedByTransport, long firstMicros, long lastMicros,
                            Map<CloseCause, Long> closesByCause, Map<String, Long> failuresByReason,
                            Map<Integer, Long> closeStacks, Map<Integer, Long> reconnectStacks,
                            Map<Integer, Long> failedConnectStacks, Map<Integer, Long> timeoutSettings,
                            long[] lifetimes, long[] reconnectGaps, long[] closeDelays, long[] inFlightAges,
                            Cycle[] cycles, long cyclesDropped, CloseShapes closeShapes,
                            AttemptTimes failedAttempts, IdleObservations idle) {
        this(endpoint, opened, openedBefore, closed, open, reconnects, failedConnects, requestInFlightCloses,
                tlsCloses, openedByTransport, firstMicros, lastMicros, closesByCause, failuresByReason, closeStacks,
                reconnectStacks, failedConnectStacks, timeoutSettings, lifetimes, reconnectGaps, closeDelays,
                inFlightAges, cycles, cyclesDropped, closeShapes, failedAttempts, idle, List.of(), open);
    }

    /** Nothing but plain closes, no failed connects' times, no idle observations (counters only, and tests). */
    public EndpointSnapshot(Endpoint endpoint, long opened, long openedBefore, long closed, int open, long reconnects,
                            long failedConnects, long requestInFlightCloses, long tlsCloses,
                            Map<Transport, Long> openedByTransport, long firstMicros, long lastMicros,
                            Map<CloseCause, Long> closesByCause, Map<String, Long> failuresByReason,
                            Map<Integer, Long> closeStacks, Map<Integer, Long> reconnectStacks,
                            Map<Integer, Long> failedConnectStacks, Map<Integer, Long> timeoutSettings,
                            long[] lifetimes, long[] reconnectGaps, long[] closeDelays, long[] inFlightAges,
                            Cycle[] cycles, long cyclesDropped) {
        this(endpoint, opened, openedBefore, closed, open, reconnects, failedConnects, requestInFlightCloses,
                tlsCloses, openedByTransport, firstMicros, lastMicros, closesByCause, failuresByReason, closeStacks,
                reconnectStacks, failedConnectStacks, timeoutSettings, lifetimes, reconnectGaps, closeDelays,
                inFlightAges, cycles, cyclesDropped, CloseShapes.NONE, AttemptTimes.NONE, IdleObservations.NONE);
    }

    /** Open connections shown in full per endpoint at most, and over all endpoints. */
    public static final int OPEN_PER_ENDPOINT = OpenConnections.PER_ENDPOINT;
    public static final int OPEN_IN_ALL = OpenConnections.IN_ALL;

    public List<Cycle> cycleList() {
        return List.of(cycles);
    }

    public long closes(CloseCause cause) {
        return closesByCause.getOrDefault(cause, 0L);
    }
}
