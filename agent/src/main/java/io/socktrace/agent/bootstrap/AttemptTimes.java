package io.socktrace.agent.bootstrap;

/**
 * When failed connects to one endpoint started (epoch microseconds): all of them while they fit, else the first
 * few and the last few, with {@link #notKept()} attempts between the two parts.
 *
 * @param count       failed connects in all
 * @param firstMicros the first attempts, oldest first
 * @param lastMicros  the most recent attempts after those, oldest first
 */
public record AttemptTimes(long count, long[] firstMicros, long[] lastMicros) {

    public static final AttemptTimes NONE = new AttemptTimes(0, new long[0], new long[0]);

    /** Attempts between {@code firstMicros} and {@code lastMicros} whose times were not kept. */
    public long notKept() {
        return count - firstMicros.length - lastMicros.length;
    }
}
