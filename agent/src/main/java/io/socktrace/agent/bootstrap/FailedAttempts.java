package io.socktrace.agent.bootstrap;

/**
 * When the failed connects to one endpoint started, in bounded memory: the first {@link #FIRST} attempts (where a
 * backoff starts) and a ring of the last {@link #LAST} (where it has got to), in the order they were recorded. Two
 * small arrays made at the first failure, nothing allocated after. Not thread-safe: used under the endpoint's lock.
 */
final class FailedAttempts {

    static final int FIRST = 8;
    static final int LAST = 32;

    private final long[] first = new long[FIRST];
    private final long[] last = new long[LAST];
    private long count;

    void add(long startNanos) {
        if (count < FIRST) {
            first[(int) count] = startNanos;
        } else {
            last[(int) ((count - FIRST) % LAST)] = startNanos;
        }
        count++;
    }

    /** A copy in epoch microseconds, each part oldest first. */
    AttemptTimes times() {
        int firstKept = (int) Math.min(count, FIRST);
        long[] firstMicros = new long[firstKept];
        for (int i = 0; i < firstKept; i++) {
            firstMicros[i] = Clock.epochMicros(first[i]);
        }
        long after = count - firstKept;
        int lastKept = (int) Math.min(after, LAST);
        long[] lastMicros = new long[lastKept];
        long oldest = after - lastKept; // index, among the attempts after the first ones, of the oldest kept
        for (int i = 0; i < lastKept; i++) {
            lastMicros[i] = Clock.epochMicros(last[(int) ((oldest + i) % LAST)]);
        }
        return new AttemptTimes(count, firstMicros, lastMicros);
    }
}
