package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.CloseShapes;
import io.socktrace.agent.bootstrap.CloseWaitLeak;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Half-closes, resets sent and CLOSE_WAIT leaks summed over all endpoints, and who opened the leaked connections,
 * the same for the text and the JSON report.
 */
public record CloseShapeTotals(long outputShutdowns, long inputShutdowns, long resetsSent, long closeWaits,
                               long closedLate) {

    public static CloseShapeTotals of(List<EndpointSnapshot> endpoints) {
        long output = 0, input = 0, resets = 0, waits = 0, late = 0;
        for (EndpointSnapshot e : endpoints) {
            CloseShapes s = e.closeShapes();
            output += s.outputShutdowns();
            input += s.inputShutdowns();
            resets += s.resetsSent();
            waits += s.closeWaits();
            late += s.closedLate();
        }
        return new CloseShapeTotals(output, input, resets, waits, late);
    }

    public boolean any() {
        return outputShutdowns + inputShutdowns + resetsSent + closeWaits + closedLate > 0;
    }

    /** CLOSE_WAIT leaks seen: still open, and closed late. */
    public long leaksSeen() {
        return closeWaits + closedLate;
    }

    /**
     * The stack that opened most of the leaked connections kept in full, as an {@link Attribution}; {@code null}
     * if there is no leak. Leaks whose opening stack is unknown (open before recording, not sampled, not kept)
     * count in the total only.
     */
    public static Attribution leakedBy(CloseShapes shapes, Map<Integer, StackTrace> stacks, Libraries libraries) {
        List<CloseWaitLeak> leaks = shapes.closeWaitLeaks();
        if (leaks.isEmpty()) {
            return null;
        }
        Map<Integer, Long> counts = new HashMap<>();
        long captured = 0;
        for (CloseWaitLeak leak : leaks) {
            if (stacks.containsKey(leak.connectStackId())) {
                counts.merge(leak.connectStackId(), 1L, Long::sum);
                captured++;
            }
        }
        int best = -1;
        long bestCount = 0;
        for (Map.Entry<Integer, Long> count : counts.entrySet()) {
            if (count.getValue() > bestCount) {
                best = count.getKey();
                bestCount = count.getValue();
            }
        }
        StackTrace stack = best < 0 ? null : stacks.get(best);
        if (stack == null) {
            return new Attribution(null, 0, captured, leaks.size() - captured, -1, -1, -1, -1);
        }
        int frame = Frames.firstOutsideJdk(stack);
        return new Attribution(stack, bestCount, leaks.size(), 0, frame,
                frame < 0 ? -1 : Frames.nextOutsideJdk(stack, frame),
                frame < 0 ? -1 : Frames.application(stack, frame, libraries), -1);
    }
}
