package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.EndpointSnapshot;

/**
 * What the recording says about one endpoint, in the terms of the report.
 *
 * @param verdict           the pattern in one plain sentence
 * @param dominantCause     the most frequent close cause, {@code null} if nothing closed
 * @param closer            who closed (most frequent closing code)
 * @param reopener          who reconnected (most frequent connect that replaced a close)
 * @param failedConnector   who tried to connect and failed
 * @param medianLifetimeMicros median lifetime of closed connections, -1 if none
 * @param medianGapMicros   median reconnect gap, -1 if none
 * @param medianCloseDelayMicros median delay from the triggering event to the close, -1 if none
 * @param medianInFlightMicros median age of the unanswered request at close, -1 if none
 * @param timeoutMillis     the most common {@code SO_TIMEOUT} of timed-out reads, 0 if none
 * @param idle              the peer's idle timeout, stale reuse, and what to change
 */
public record EndpointFindings(EndpointSnapshot endpoint, String verdict, CloseCause dominantCause,
                               Attribution closer, Attribution reopener, Attribution failedConnector,
                               long medianLifetimeMicros, long medianGapMicros, long medianCloseDelayMicros,
                               long medianInFlightMicros, int timeoutMillis, IdleFindings idle) {

    /** How much churn the endpoint shows: reconnects plus failed connects, then closes. Larger sorts first. */
    long churn() {
        return endpoint.reconnects() + endpoint.failedConnects();
    }
}
