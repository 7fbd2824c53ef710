package io.socktrace.agent.bootstrap;

/**
 * Stack capture for one recording: the rate bound ({@link StackSampler}) in front of the stack table
 * ({@link StackTable}). A failure to capture costs the stack, never the event.
 */
final class StackCapture {

    private final StackTable table;
    private final StackSampler sampler;

    StackCapture(RecorderSettings settings) {
        this.table = new StackTable(settings.maxStacks(), settings.stackDepth());
        this.sampler = new StackSampler(settings.stackRate());
    }

    /** The current stack's id, {@link StackTable#NOT_SAMPLED} above the rate, {@link StackTable#NO_STACK} if none. */
    int capture() {
        try {
            if (!sampler.sample()) {
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
        return sampler.skipped();
    }
}
