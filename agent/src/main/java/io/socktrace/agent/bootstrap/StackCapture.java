package io.socktrace.agent.bootstrap;

/**
 * Stack capture for one recording: the rate bound ({@link StackSampler}) in front of the stack table
 * ({@link StackTable}). A failure to capture costs the stack, never the event.
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

    StackCapture(RecorderSettings settings) {
        this.table = new StackTable(settings.maxStacks(), settings.stackDepth());
        this.sampler = new StackSampler(settings.stackRate());
        this.secondary = new StackSampler(Math.min(settings.stackRate(), SECONDARY_RATE)); // never above stackRate
    }

    /** The current stack's id, {@link StackTable#NOT_SAMPLED} above the rate, {@link StackTable#NO_STACK} if none. */
    int capture() {
        return capture(sampler);
    }

    /** As {@link #capture()}, within the secondary events' own budget ({@link #SECONDARY_RATE} a second). */
    int captureSecondary() {
        return capture(secondary);
    }

    private int capture(StackSampler budget) {
        try {
            if (!budget.sample()) {
                return StackTable.NOT_SAMPLED;
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
        return sampler.skipped() + secondary.skipped();
    }
}
