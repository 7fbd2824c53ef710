package io.socktrace.agent.bootstrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds CLOSE_WAIT leaks among the open connections, in the one pass a snapshot (a report, a counters scrape)
 * makes over them anyway: no timer per connection. A leak is a connection whose end of stream was read at least
 * {@code closeWait} ago and that is still open. Keeps {@link CloseShapes#LEAKS_KEPT} per endpoint in full (the
 * oldest end of stream first) and counts the rest.
 */
final class CloseWaits {

    private final long closeWaitNanos;
    private final long now = Clock.nanos();
    private final Map<Endpoint, Integer> counts = new HashMap<>();
    private final Map<Endpoint, List<ConnectionRecord>> leaks = new HashMap<>();

    CloseWaits(long closeWaitNanos) {
        this.closeWaitNanos = closeWaitNanos;
    }

    void check(Endpoint endpoint, ConnectionRecord record) {
        if (record.inCloseWait(now, closeWaitNanos)) {
            counts.merge(endpoint, 1, Integer::sum);
            leaks.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(record);
        }
    }

    int count(Endpoint endpoint) {
        return counts.getOrDefault(endpoint, 0);
    }

    List<CloseWaitLeak> leaks(Endpoint endpoint) {
        List<ConnectionRecord> records = leaks.get(endpoint);
        if (records == null) {
            return List.of();
        }
        records.sort((a, b) -> Long.compare(a.eofNanos, b.eofNanos));
        List<CloseWaitLeak> kept = new ArrayList<>();
        for (int i = 0; i < records.size() && i < CloseShapes.LEAKS_KEPT; i++) {
            kept.add(CloseWaitLeak.of(records.get(i), now));
        }
        return List.copyOf(kept);
    }
}
