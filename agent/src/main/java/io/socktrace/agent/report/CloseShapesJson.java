package io.socktrace.agent.report;

import io.socktrace.agent.analysis.CloseShapeTotals;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.CloseShapes;
import io.socktrace.agent.bootstrap.CloseWaitLeak;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report's fields about closes that are not plain closes (see {@link CloseShapesText}): half-closes,
 * resets this JVM sent, CLOSE_WAIT leaks. Documented in {@code report-schema.json}.
 */
final class CloseShapesJson {

    private CloseShapesJson() {
    }

    /** Fields of {@code totals}. */
    static void totals(Json json, List<EndpointSnapshot> endpoints) {
        CloseShapeTotals t = CloseShapeTotals.of(endpoints);
        json.field("closeWaitLeaks", t.closeWaits()).field("closeWaitClosedLate", t.closedLate())
                .field("outputShutdowns", t.outputShutdowns())
                .field("inputShutdowns", t.inputShutdowns()).field("resetsSent", t.resetsSent());
    }

    /** Fields of an endpoint. */
    static void endpoint(Json json, EndpointSnapshot e, RecordingSnapshot r, Libraries libraries) {
        CloseShapes s = e.closeShapes();
        json.field("outputShutdowns", s.outputShutdowns()).field("inputShutdowns", s.inputShutdowns())
                .field("resetsSent", s.resetsSent());
        json.name("closeWait").beginObject().field("leaks", s.closeWaits()).field("closedLate", s.closedLate());
        json.name("connections").beginArray();
        for (CloseWaitLeak leak : s.closeWaitLeaks()) {
            json.beginObject()
                    .field("id", leak.id())
                    .field("transport", leak.transport().apiName())
                    .field("localPort", leak.localPort())
                    .field("peer", leak.peer())
                    .field("openedBeforeRecording", leak.openedBeforeRecording())
                    .field("openedAtMicros", leak.openedMicros())
                    .field("connectThread", leak.connectThread())
                    .field("connectStackId", leak.connectStackId())
                    .field("endOfStreamAtMicros", leak.eofMicros())
                    .field("readerThread", leak.readerThread())
                    .field("readerStackId", leak.eofStackId())
                    .field("openSinceEndOfStreamMicros", leak.openForMicros())
                    .endObject();
        }
        json.endArray();
        if (!s.closeWaitLeaks().isEmpty()) {
            JsonReport.attribution(json, "leakedBy", CloseShapeTotals.leakedBy(s, stacksById(r), libraries));
        } else {
            json.field("leakedBy", (String) null);
        }
        json.endObject();
    }

    /** Fields of a cycle. */
    static void cycle(Json json, Cycle c) {
        json.field("shutdownOutputAtMicros", c.outputShutdownMicros())
                .field("shutdownInputAtMicros", c.inputShutdownMicros())
                .field("resetSent", c.resetSent());
    }

    private static Map<Integer, StackTrace> stacksById(RecordingSnapshot r) {
        Map<Integer, StackTrace> stacks = new HashMap<>();
        for (StackTrace stack : r.stacks()) {
            stacks.put(stack.id(), stack);
        }
        return stacks;
    }
}
