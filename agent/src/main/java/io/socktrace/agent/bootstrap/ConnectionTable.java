package io.socktrace.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Values (open connections, pending connects) by socket implementation object, compared by identity and held weakly, so that the agent
 * never keeps an application socket (or its file descriptor's cleaner) alive. Bounded: beyond
 * {@code capacity} open connections, new ones are not tracked and are reported as such.
 *
 * <p>A hash table of its own rather than a {@code ConcurrentHashMap}: a lookup there needs a key object, which the
 * JIT does not reliably eliminate, and a lookup is what every read and write makes. Here {@link #get} walks a
 * bucket with no lock and allocates nothing; changes (connects, closes) take the table's lock. Each entry is its
 * own weak reference, so a connection costs one object besides its value.
 *
 * <p>The bucket array starts large enough that connections opened and closed on different cores rarely share a
 * cache line: with 16 buckets (one line) every connect and close invalidated the line that lookups on the other
 * cores read next, which took a quarter of the agent's time in an 8-thread churn.
 */
final class ConnectionTable<V> {

    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final int capacity;
    /** Replaced whole (under the lock) when it grows; readers of the old one still see every entry it had. */
    private volatile AtomicReferenceArray<Entry<V>> buckets;
    /** Entries held, including those whose socket was collected but not yet polled. Changed under the lock. */
    private volatile int size;

    /** A table for the connections of a recording, which lookups on every core read. */
    ConnectionTable(int capacity) {
        this(capacity, 1024);
    }

    /** @param buckets the initial number of buckets, a power of two */
    ConnectionTable(int capacity, int buckets) {
        this.capacity = capacity;
        this.buckets = new AtomicReferenceArray<>(buckets);
    }

    /** Starts tracking {@code socket}; false if the table is full. */
    synchronized boolean add(Object socket, V record) {
        Entry<V> stale = find(socket);
        if (stale != null) {
            unlink(stale); // the same socket again: its entry is replaced, no new slot taken
        } else if (size >= capacity) {
            return false;
        }
        insert(socket, record);
        return true;
    }

    /**
     * Starts tracking {@code socket} unless it is tracked already; returns the record tracked now (the existing one
     * if another thread was first), or {@code null} if the table is full.
     */
    synchronized V addIfAbsent(Object socket, V record) {
        Entry<V> existing = find(socket);
        if (existing != null) {
            return existing.value;
        }
        if (size >= capacity) {
            return null;
        }
        insert(socket, record);
        return record;
    }

    /** Whether no more connections can be tracked: one read, so that a full table costs untracked sockets nothing. */
    boolean full() {
        return size >= capacity;
    }

    /** The record of an open connection, or {@code null} if it is not tracked. The I/O hot path: no lock, no allocation. */
    V get(Object socket) {
        Entry<V> entry = find(socket);
        return entry == null ? null : entry.value;
    }

    /** Stops tracking {@code socket}; returns its record only to the first caller, so a close is counted once. */
    synchronized V remove(Object socket) {
        Entry<V> entry = find(socket);
        if (entry == null) {
            return null;
        }
        unlink(entry);
        return entry.value;
    }

    /** Records of sockets garbage collected while still open; each is returned once. */
    List<V> pollCollected() {
        List<V> records = null;
        for (Object polled; (polled = collected.poll()) != null; ) {
            @SuppressWarnings("unchecked")
            Entry<V> entry = (Entry<V>) polled;
            synchronized (this) {
                if (entry.removed) {
                    continue; // closed, or copied when the table grew
                }
                unlink(entry);
            }
            if (records == null) {
                records = new ArrayList<>();
            }
            records.add(entry.value);
        }
        return records == null ? List.of() : records;
    }

    /**
     * A copy of the records held (the sockets of some may have been collected since), weakly consistent as a
     * {@code ConcurrentHashMap}'s values are: one table read whole, even if it is being replaced meanwhile.
     */
    List<V> openRecords() {
        List<V> records = new ArrayList<>();
        AtomicReferenceArray<Entry<V>> table = buckets;
        for (int i = 0; i < table.length(); i++) {
            for (Entry<V> e = table.get(i); e != null; e = e.next) {
                records.add(e.value);
            }
        }
        return records;
    }

    private Entry<V> find(Object socket) {
        int hash = System.identityHashCode(socket);
        AtomicReferenceArray<Entry<V>> table = buckets;
        for (Entry<V> e = table.get(hash & (table.length() - 1)); e != null; e = e.next) {
            if (e.hash == hash && e.get() == socket) {
                return e;
            }
        }
        return null;
    }

    private void insert(Object socket, V record) {
        AtomicReferenceArray<Entry<V>> table = buckets;
        if (size >= table.length() - (table.length() >>> 2)) {
            table = grow(table);
        }
        int hash = System.identityHashCode(socket);
        int i = hash & (table.length() - 1);
        table.set(i, new Entry<>(socket, collected, hash, record, table.get(i)));
        size++;
    }

    /** Removes {@code entry} from its bucket if it is there (one the table dropped when it grew is not). */
    private void unlink(Entry<V> entry) {
        AtomicReferenceArray<Entry<V>> table = buckets;
        int i = entry.hash & (table.length() - 1);
        Entry<V> previous = null;
        for (Entry<V> e = table.get(i); e != null; previous = e, e = e.next) {
            if (e == entry) {
                if (previous == null) {
                    table.set(i, e.next);
                } else {
                    previous.next = e.next; // a reader at e still goes on from e.next
                }
                break;
            }
        }
        entry.removed = true;
        size--;
    }

    /**
     * A table twice the size with a fresh entry for every live socket, leaving the old chains untouched for
     * readers still walking them; the old entries are marked removed, so that their socket's collection is
     * reported once (by the fresh entry). An entry whose socket is collected already is left out, and is reported
     * when polled.
     */
    private AtomicReferenceArray<Entry<V>> grow(AtomicReferenceArray<Entry<V>> old) {
        AtomicReferenceArray<Entry<V>> table = new AtomicReferenceArray<>(old.length() * 2);
        for (int i = 0; i < old.length(); i++) {
            for (Entry<V> e = old.get(i); e != null; e = e.next) {
                Object socket = e.get();
                if (socket != null) {
                    int j = e.hash & (table.length() - 1);
                    table.set(j, new Entry<>(socket, collected, e.hash, e.value, table.get(j)));
                    e.removed = true;
                }
            }
        }
        buckets = table;
        return table;
    }

    /** Weak, identity-compared; its socket's hash kept, so that it can be unlinked once the socket is collected. */
    private static final class Entry<V> extends WeakReference<Object> {

        final int hash;
        final V value;
        volatile Entry<V> next;
        /** Set under the table's lock once the entry is no longer the socket's (removed, or replaced on growth). */
        volatile boolean removed;

        Entry(Object socket, ReferenceQueue<Object> queue, int hash, V value, Entry<V> next) {
            super(socket, queue);
            this.hash = hash;
            this.value = value;
            this.next = next;
        }
    }
}
