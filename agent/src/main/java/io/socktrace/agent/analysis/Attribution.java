package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;

/**
 * The code responsible for a kind of event at one endpoint: the most frequent stack, the first frame in it
 * outside the JDK, that frame's caller, and the first frame in another package (the application, when the
 * code that closed or connected is a client library).
 *
 * @param stack       the most frequent stack, or {@code null} if none was kept
 * @param count       events with that stack
 * @param total       events of this kind at the endpoint whose stack was captured
 * @param notSampled  events of this kind whose stack was not captured (above the stack rate)
 * @param frame       index of the first frame outside the JDK, -1 if none
 * @param caller      index of the next frame outside the JDK, -1 if none
 * @param application index of the first frame outside the JDK and outside {@code frame}'s package, -1 if none
 * @param decider     index of the frame that decided the close or connect, beyond the plumbing that carried it out
 *                    ({@link Deciders}); -1 if none
 */
public record Attribution(StackTrace stack, long count, long total, long notSampled, int frame, int caller,
                          int application, int decider) {

    /** The frame that decided, when it is not {@link #where()}'s frame already; otherwise {@code null}. */
    public String decidedBy() {
        return stack != null && decider >= 0 && decider != frame ? stack.frame(decider) : null;
    }

    /** {@code pkg.Class.method(File.java:88)}, or a statement that no stack is known. */
    public String where() {
        if (stack == null) {
            return total == 0 && notSampled > 0 ? "(no stack sampled)" : "(stack not kept: stack table full)";
        }
        return frame >= 0 ? stack.frame(frame) : stack.frame(0) + " (JDK code only)";
    }

    public String calledFrom() {
        return stack != null && caller >= 0 ? stack.frame(caller) : null;
    }

    /** The application frame, or {@code null} when it is the caller already or there is none. */
    public String applicationFrame() {
        return stack != null && application >= 0 && application != caller ? stack.frame(application) : null;
    }
}
