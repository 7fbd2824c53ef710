package io.socktrace.agent.bootstrap;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code trigger=KIND:N/UNIT}: a report as soon as one endpoint has N events of a kind (reconnects, failed
 * connects) within one interval, at most once per endpoint per interval, and at most {@link #REPORTS_PER_INTERVAL}
 * reports per interval in all (the rest are counted as suppressed). The socket threads only count (one small
 * window per endpoint, no allocation) and, on the rare firing, offer a request to a small queue; an agent thread
 * takes it and writes the report. One per session: it outlives a reset, like the trace.
 */
public final class ReportTrigger {

    /** Reports written for the trigger per interval at most, whatever the number of endpoints. */
    public static final int REPORTS_PER_INTERVAL = 5;

    /** What is counted. */
    public enum Kind {
        RECONNECTS("reconnects"), FAILED_CONNECTS("failedConnects");

        private final String optionName;

        Kind(String optionName) {
            this.optionName = optionName;
        }

        public String optionName() {
            return optionName;
        }

        /** The kind named {@code name} in the option, or {@code null}. */
        public static Kind named(String name) {
            for (Kind kind : values()) {
                if (kind.optionName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** One firing: the endpoint ({@code address:port}, as the JSON report's), and its events within the interval. */
    public record Fired(String endpoint, long count, long atMicros) {
    }

    private final Kind kind;
    private final int threshold;
    private final long intervalNanos;
    private final String rule;
    private final ArrayBlockingQueue<Fired> requests = new ArrayBlockingQueue<>(REPORTS_PER_INTERVAL);
    private final LongAdder fired = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private long capWindowStart;
    private int inCapWindow;

    /** @param rule the option's value as given, for the reports ({@code reconnects:10/min}) */
    public ReportTrigger(Kind kind, int threshold, long intervalNanos, String rule) {
        this.kind = kind;
        this.threshold = threshold;
        this.intervalNanos = intervalNanos;
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** Counts one event of {@code kind} at an endpoint; on the socket thread, so cheap and never blocking. */
    void count(Kind what, EndpointAggregate aggregate, long now) {
        if (what != kind) {
            return;
        }
        long reached = aggregate.triggerWindow.count(now, threshold, intervalNanos);
        if (reached > 0) {
            fire(aggregate.endpoint(), reached, now);
        }
    }

    private void fire(Endpoint endpoint, long count, long now) {
        boolean allowed;
        synchronized (this) {
            if (inCapWindow == 0 || now - capWindowStart >= intervalNanos) {
                capWindowStart = now;
                inCapWindow = 0;
            }
            allowed = inCapWindow < REPORTS_PER_INTERVAL;
            if (allowed) {
                inCapWindow++;
            }
        }
        if (allowed && requests.offer(new Fired(
                endpoint.key() + (endpoint.accepted() ? " (accepted)" : ""), count, Clock.epochMicros(now)))) {
            fired.increment();
        } else {
            suppressed.increment();
        }
    }

    /** The next firing, waiting at most {@code millis}; {@code null} if none. For the agent's report thread. */
    public Fired next(long millis) throws InterruptedException {
        return requests.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** What the trigger did so far, for the report. */
    public Counts counts() {
        return new Counts(rule, fired.sum(), suppressed.sum(), REPORTS_PER_INTERVAL, intervalNanos / 1_000);
    }

    /**
     * @param rule              the option's value
     * @param fired             reports requested by the trigger
     * @param suppressed        firings not reported: the cap per interval was reached
     * @param capPerInterval    {@link #REPORTS_PER_INTERVAL}
     * @param intervalMicros    the rate's interval
     */
    public record Counts(String rule, long fired, long suppressed, int capPerInterval, long intervalMicros) {
    }
}
