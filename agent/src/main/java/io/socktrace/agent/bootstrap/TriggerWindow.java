package io.socktrace.agent.bootstrap;

/**
 * One endpoint's count against the report trigger: a window that opens at the first counted event and lasts one
 * interval, and when the trigger last fired for the endpoint. A few longs; nothing allocated when counting.
 */
final class TriggerWindow {

    private long windowStart;
    private long count;
    private long firedAt;
    private boolean fired;

    /**
     * Counts one event at {@code now}; returns the count within the window when it has just reached
     * {@code threshold} and the trigger has not fired for this endpoint within the last interval, else 0.
     */
    synchronized long count(long now, int threshold, long intervalNanos) {
        if (count == 0 || now - windowStart >= intervalNanos) {
            windowStart = now;
            count = 0;
        }
        count++;
        if (count < threshold || fired && now - firedAt < intervalNanos) {
            return 0;
        }
        fired = true;
        firedAt = now;
        long reached = count;
        count = 0; // the next report needs the threshold reached again
        return reached;
    }
}
