package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.EndpointSnapshot;
import java.util.List;

/**
 * Counts summed over all endpoints, the same for every place that shows them (report headers, status, JMX).
 *
 * @param opened       connections this JVM made
 * @param accepted     connections this JVM accepted
 * @param openedBefore connections open since before recording, first seen in use (in neither of the above)
 * @param reconnecting endpoints with at least one reconnect
 */
public record Totals(long opened, long accepted, long openedBefore, long closed, long open, long failedConnects, long reconnects,
                     long reconnecting) {

    public static Totals of(List<EndpointSnapshot> endpoints) {
        long opened = 0, accepted = 0, openedBefore = 0, closed = 0, open = 0, failed = 0, reconnects = 0, reconnecting = 0;
        for (EndpointSnapshot e : endpoints) {
            if (e.endpoint().accepted()) {
                accepted += e.opened();
            } else {
                opened += e.opened();
            }
            openedBefore += e.openedBefore();
            closed += e.closed();
            open += e.open();
            failed += e.failedConnects();
            reconnects += e.reconnects();
            reconnecting += e.reconnects() > 0 ? 1 : 0;
        }
        return new Totals(opened, accepted, openedBefore, closed, open, failed, reconnects, reconnecting);
    }
}
