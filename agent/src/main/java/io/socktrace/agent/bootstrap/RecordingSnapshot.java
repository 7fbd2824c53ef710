package io.socktrace.agent.bootstrap;

import java.util.List;

/**
 * Everything recorded since the agent started, copied at one moment.
 *
 * @param endpoints            one entry per remote endpoint (plus one for those beyond the endpoint cap)
 * @param stacks               every distinct stack kept, in first-seen order
 * @param stacksDropped        stack captures not kept because the stack table was full
 * @param stacksNotSampled     connects and closes whose stack was not captured, above the stack rate
 * @param untrackedConnections connections opened while the open-connection table was full (counted, no detail)
 * @param lumpedConnections    connections to endpoints beyond the endpoint cap
 * @param eventsDropped        connection events a listener (the trace) could not take
 * @param agentErrors          failures inside the agent, contained and counted
 * @param lastAgentError       the last of those, or {@code null}
 */
public record RecordingSnapshot(long startMicros, long takenMicros, RecorderSettings settings,
                                List<EndpointSnapshot> endpoints, List<StackTable.StackTrace> stacks,
                                long stacksDropped, long stacksNotSampled, long untrackedConnections,
                                long lumpedConnections, long eventsDropped, long agentErrors, String lastAgentError) {
}
