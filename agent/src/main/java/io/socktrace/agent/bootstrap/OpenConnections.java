package io.socktrace.agent.bootstrap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Picks the open connections a report shows in full, in the one pass a snapshot makes over the connection table
 * anyway (no lock, nothing on the read/write path): at most {@code perEndpoint} per endpoint and {@code inAll} in
 * all, the longest open first (those open since before recording, then by connect time), and counts the rest. Holds
 * at most {@code perEndpoint} records per endpoint while it looks, whatever the number open.
 */
final class OpenConnections {

    /** Open connections shown in full per endpoint by default. */
    static final int PER_ENDPOINT = 100;
    /** And in all, over every endpoint. */
    static final int IN_ALL = 1000;

    /** Longest open first: open since before recording, then by when the connect started, then in connect order. */
    static final Comparator<ConnectionRecord> OLDEST_FIRST = Comparator
            .comparing((ConnectionRecord r) -> !r.openedBeforeRecording)
            .thenComparingLong(r -> r.openedBeforeRecording ? r.connectedNanos : r.connectStartNanos)
            .thenComparingLong(r -> r.id);

    private final int perEndpoint;
    private final int inAll;
    /** The oldest {@code perEndpoint} so far of each endpoint, youngest at the head (the one to drop next). */
    private final Map<Endpoint, PriorityQueue<ConnectionRecord>> oldest = new HashMap<>();
    private final Map<Endpoint, Integer> counts = new HashMap<>();
    private Map<Endpoint, List<StillOpen>> kept;

    OpenConnections(int perEndpoint, int inAll) {
        this.perEndpoint = perEndpoint;
        this.inAll = inAll;
    }

    void add(Endpoint endpoint, ConnectionRecord record) {
        counts.merge(endpoint, 1, Integer::sum);
        if (perEndpoint == 0) {
            return;
        }
        PriorityQueue<ConnectionRecord> queue = oldest.computeIfAbsent(endpoint,
                e -> new PriorityQueue<>(OLDEST_FIRST.reversed()));
        if (queue.size() < perEndpoint) {
            queue.add(record);
        } else if (OLDEST_FIRST.compare(record, queue.peek()) < 0) {
            queue.poll();
            queue.add(record);
        }
    }

    /** The connections of {@code endpoint} shown in full, oldest first. */
    List<StillOpen> kept(Endpoint endpoint) {
        return select().getOrDefault(endpoint, List.of());
    }

    /** Those of {@code endpoint} open but not in {@link #kept}. */
    long omitted(Endpoint endpoint) {
        return counts.getOrDefault(endpoint, 0) - kept(endpoint).size();
    }

    /**
     * Shares {@code inAll} between the endpoints, one connection each in turn (endpoints in name order), so that no
     * endpoint is left out for another's many; each endpoint's share is its oldest.
     */
    private Map<Endpoint, List<StillOpen>> select() {
        if (kept != null) {
            return kept;
        }
        List<Endpoint> endpoints = new ArrayList<>(oldest.keySet());
        endpoints.sort(Comparator.comparing(Endpoint::toString));
        List<List<ConnectionRecord>> sorted = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            List<ConnectionRecord> records = new ArrayList<>(oldest.get(endpoint));
            records.sort(OLDEST_FIRST);
            sorted.add(records);
        }
        int[] shares = new int[endpoints.size()];
        int left = inAll;
        for (boolean more = true; more && left > 0; ) {
            more = false;
            for (int i = 0; i < shares.length && left > 0; i++) {
                if (shares[i] < sorted.get(i).size()) {
                    shares[i]++;
                    left--;
                    more = true;
                }
            }
        }
        kept = new HashMap<>();
        for (int i = 0; i < shares.length; i++) {
            List<StillOpen> copies = new ArrayList<>(shares[i]);
            for (ConnectionRecord record : sorted.get(i).subList(0, shares[i])) {
                copies.add(StillOpen.of(record));
            }
            kept.put(endpoints.get(i), List.copyOf(copies));
        }
        return kept;
    }
}
