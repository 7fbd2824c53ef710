package io.socktrace.agent.bootstrap;

import java.util.List;
import java.util.Map;

/**
 * Everything recorded since the agent started, copied at one moment.
 *
 * @param endpoints            one entry per remote endpoint (plus one for those beyond the endpoint cap)
 * @param stacks               every distinct stack kept, in first-seen order
 * @param stacksDropped        stack captures not kept because the stack table was full
 * @param stacksNotSampled     connects and closes whose stack was not captured, above the stack rate
 * @param untrackedConnections connections opened while the open-connection table was full (counted, no detail)
 * @param untrackedCloses      closes of open connections that were not tracked because the table was full (opened
 *                             then, or before recording and not taken in)
 * @param lumpedConnections    connections to endpoints beyond the endpoint cap
 * @param eventsDropped        connection events a listener (the trace) could not take
 * @param listenersKnown       whether this process's listening sockets could be read when recording started, so
 *                             that connections open since before are told apart as accepted or made
 * @param agentErrors          failures inside the agent, contained and counted
 * @param lastAgentError       the last of those, or {@code null}
 * @param agentErrorsByPlace   those failures by where they happened ({@code "trace writer"}, {@code "recording"})
 * @param unavailable          JDK internals the agent could not reach, with what that costs
 * @param trigger              what {@code trigger=...} did, or {@code null} without one
 */
public record RecordingSnapshot(long startMicros, long takenMicros, RecorderSettings settings,
                                List<EndpointSnapshot> endpoints, List<StackTable.StackTrace> stacks,
                                long stacksDropped, long stacksNotSampled, long untrackedConnections,
                                long untrackedCloses, long lumpedConnections, long eventsDropped,
                                boolean listenersKnown, long agentErrors, String lastAgentError,
                                Map<String, Long> agentErrorsByPlace, Map<String, String> unavailable,
                                ReportTrigger.Counts trigger) {

    /** Without a report trigger. */
    public RecordingSnapshot(long startMicros, long takenMicros, RecorderSettings settings,
                             List<EndpointSnapshot> endpoints, List<StackTable.StackTrace> stacks,
                             long stacksDropped, long stacksNotSampled, long untrackedConnections,
                             long untrackedCloses, long lumpedConnections, long eventsDropped,
                             boolean listenersKnown, long agentErrors, String lastAgentError,
                             Map<String, Long> agentErrorsByPlace, Map<String, String> unavailable) {
        this(startMicros, takenMicros, settings, endpoints, stacks, stacksDropped, stacksNotSampled,
                untrackedConnections, untrackedCloses, lumpedConnections, eventsDropped, listenersKnown, agentErrors,
                lastAgentError, agentErrorsByPlace, unavailable, null);
    }
}
