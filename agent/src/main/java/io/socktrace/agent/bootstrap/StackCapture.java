package io.socktrace.agent.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * Stack capture for one recording: the rate bounds ({@link StackSampler}) in front of the stack table
 * ({@link StackTable}). A failure to capture costs the stack, never the event.
 *
 * <p>Two bounds apply to an event of a known endpoint: the endpoint's
 * ({@link RecorderSettings#endpointStackRate()}, a tenth of {@code stackRate}) and the recording's
 * ({@code stackRate}). The endpoint's keeps one churning endpoint from taking the whole budget, so a quiet endpoint
 * beside it (the one reconnecting every few seconds, usually the one being looked for) keeps every stack, and it
 * keeps what churn pays for stacks low: a capture is a stack walk, the costliest part of recording a connection.
 */
final class StackCapture {

    /**
     * Stacks of secondary events a second at most (the first end of stream of each connection, for CLOSE_WAIT), and
     * never more than {@code stackRate}: all captures together stay within twice it.
     */
    static final int SECONDARY_RATE = 100;

    private final StackTable table;
    private final StackSampler sampler;
    /**
     * A budget of its own for stacks that only explain a rare outcome (which read saw end of stream, should the
     * connection leak): one per connection would cost churn a walk per connection and crowd the connect and close
     * stacks out of their budget.
     */
    private final StackSampler secondary;
    private final LongAdder notSampled = new LongAdder();

    StackCapture(RecorderSettings settings) {
        this.table = new StackTable(settings.maxStacks(), settings.stackDepth());
        this.sampler = StackSampler.perSecond(settings.stackRate());
        this.secondary = StackSampler.perSecond(atMost(settings.stackRate(), SECONDARY_RATE));
    }

    /** An endpoint's budget for {@link #capture(StackSampler)}. */
    static StackSampler endpointBudget(RecorderSettings settings) {
        return StackSampler.perSecond(settings.endpointStackRate());
    }

    /** An endpoint's budget for {@link #captureSecondary(StackSampler)}: a fifth of the recording's (20 a second). */
    static StackSampler endpointSecondaryBudget(RecorderSettings settings) {
        int rate = atMost(settings.stackRate(), SECONDARY_RATE);
        return StackSampler.perSecond(rate == 0 ? 0 : Math.max(1, rate / 5));
    }

    private static int atMost(int stackRate, int rate) {
        return stackRate == 0 ? 0 : Math.min(stackRate, rate); // stackRate=all (0): every stack everywhere
    }

    /**
     * The current stack's id, {@link StackTable#NOT_SAMPLED} above the rate, {@link StackTable#NO_STACK} if none;
     * for events whose endpoint is not known yet.
     */
    int capture() {
        return capture(null, sampler);
    }

    /** As {@link #capture()}, within the endpoint's budget too. */
    int capture(StackSampler endpoint) {
        return capture(endpoint, sampler);
    }

    /** As {@link #capture(StackSampler)}, within the secondary events' own budgets. */
    int captureSecondary(StackSampler endpoint) {
        return capture(endpoint, secondary);
    }

    private int capture(StackSampler endpoint, StackSampler recording) {
        try {
            if (endpoint != null && !endpoint.offer() || !recording.sample()) {
                notSampled.increment();
                return StackTable.NOT_SAMPLED;
            }
            if (endpoint != null) {
                endpoint.took();
            }
            Faults.check(Faults.Fault.STACK);
            return table.capture();
        } catch (Throwable error) {
            AgentHealth.failed("stack capture", error);
            return StackTable.NO_STACK;
        }
    }

    /** The stack with this id, or {@code null} for none (not sampled, not kept). */
    StackTable.StackTrace stack(int id) {
        return id > 0 ? table.stack(id) : null;
    }

    StackTable table() {
        return table;
    }

    long notSampled() {
        return notSampled.sum();
    }
}
