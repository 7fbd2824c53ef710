package io.socktrace.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Values (open connections, pending connects) by socket implementation object, compared by identity and held weakly, so that the agent
 * never keeps an application socket (or its file descriptor's cleaner) alive. Bounded: beyond
 * {@code capacity} open connections, new ones are not tracked and are reported as such.
 */
final class ConnectionTable<V> {

    private final ConcurrentHashMap<Object, V> open = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final int capacity;
    /** Entries held or being added: reserved before the put so that racing adds never overshoot the capacity. */
    private final AtomicInteger size = new AtomicInteger();

    ConnectionTable(int capacity) {
        this.capacity = capacity;
    }

    /** Starts tracking {@code socket}; false if the table is full. */
    boolean add(Object socket, V record) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        if (open.put(new WeakKey(socket, collected), record) != null) {
            size.decrementAndGet(); // replaced a stale entry for the same socket: no new slot taken
        }
        return true;
    }

    /**
     * Starts tracking {@code socket} unless it is tracked already; returns the record tracked now (the existing one
     * if another thread was first), or {@code null} if the table is full.
     */
    V addIfAbsent(Object socket, V record) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return null;
        }
        V existing = open.putIfAbsent(new WeakKey(socket, collected), record);
        if (existing != null) {
            size.decrementAndGet();
            return existing;
        }
        return record;
    }

    /** Whether no more connections can be tracked: one read, so that a full table costs untracked sockets nothing. */
    boolean full() {
        return size.get() >= capacity;
    }

    /** The record of an open connection, or {@code null} if it is not tracked. The I/O hot path. */
    V get(Object socket) {
        return open.get(new LookupKey(socket));
    }

    /** Stops tracking {@code socket}; returns its record only to the first caller, so a close is counted once. */
    V remove(Object socket) {
        V record = open.remove(new LookupKey(socket));
        if (record != null) {
            size.decrementAndGet();
        }
        return record;
    }

    /** Records of sockets garbage collected while still open; each is returned once. */
    List<V> pollCollected() {
        List<V> records = null;
        for (Object key; (key = collected.poll()) != null; ) {
            V record = open.remove(key);
            if (record != null) {
                size.decrementAndGet();
                if (records == null) {
                    records = new ArrayList<>();
                }
                records.add(record);
            }
        }
        return records == null ? List.of() : records;
    }

    List<V> openRecords() {
        return new ArrayList<>(open.values());
    }

    /** Stored key: weak, identity-compared; equal only to itself once cleared. */
    private static final class WeakKey extends WeakReference<Object> {

        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object referent = get();
            return referent != null && other instanceof WeakKey && ((WeakKey) other).get() == referent;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Short-lived probe for lookups, so that a lookup never creates a weak reference. */
    private static final class LookupKey {

        private final Object referent;
        private final int hash;

        LookupKey(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WeakKey && ((WeakKey) other).get() == referent;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
