package io.socktrace.agent.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts by {@code int} key (stack ids, timeout settings, ordinals), in first-seen order, without boxing: counting
 * on the connect and close paths allocates only when a key is new and the arrays are full. A linear search, since an
 * endpoint sees a few keys per role (at most {@link EndpointAggregate#STACKS_PER_ROLE} + 2 stack ids) and the common
 * one comes first. Not thread-safe: guarded by the aggregate's lock.
 */
final class IntCounts {

    private int[] keys = new int[2];
    private long[] counts = new long[2];
    private int size;

    /** {@code counts[key]++}. */
    void add(int key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                counts[i]++;
                return;
            }
        }
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, 2 * size);
            counts = java.util.Arrays.copyOf(counts, 2 * size);
        }
        keys[size] = key;
        counts[size++] = 1;
    }

    boolean contains(int key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** A copy as a map, in first-seen order (boxing here, on the reader's thread, is fine). */
    Map<Integer, Long> toMap() {
        Map<Integer, Long> map = new LinkedHashMap<>(Math.max(4, 2 * size));
        for (int i = 0; i < size; i++) {
            map.put(keys[i], counts[i]);
        }
        return map;
    }

    /** A copy keyed by the constants of {@code type} whose ordinals were counted. */
    <E extends Enum<E>> java.util.EnumMap<E, Long> toEnumMap(Class<E> type) {
        java.util.EnumMap<E, Long> map = new java.util.EnumMap<>(type);
        E[] constants = type.getEnumConstants();
        for (int i = 0; i < size; i++) {
            map.put(constants[keys[i]], counts[i]);
        }
        return map;
    }
}
