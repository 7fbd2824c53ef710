package io.socktrace.agent.report;

import io.socktrace.agent.analysis.EndpointFindings;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.analysis.ReconnectAnalysis;
import io.socktrace.agent.analysis.Totals;
import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.StillOpen;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data the HTML report draws, as JSON in the field names of the JSON report (less the connections' OpenTelemetry
 * names, which the page does not show and which would take a third of the file), cut to a byte budget: lanes
 * (endpoints, most churn first) while they fit, then their connections still open, then their cycles, then the stacks the kept cycles and
 * attributions point to. Whatever did not fit is counted in {@code leftOut}, so the page says what it omits
 * instead of drawing a silently partial picture.
 */
final class HtmlData {

    private final Libraries libraries;
    private final int maxBytes;

    /** @param maxBytes the budget for the data; the result exceeds it by at most one cycle or stack */
    HtmlData(Libraries libraries, int maxBytes) {
        this.libraries = libraries;
        this.maxBytes = maxBytes;
    }

    String render(RecordingSnapshot r, long pid, String jvm, String trigger) {
        List<EndpointFindings> findings = ReconnectAnalysis.analyze(r, libraries);
        StringBuilder out = new StringBuilder(16384);
        Json json = new Json(out).beginObject()
                .field("version", JsonReport.VERSION)
                .field("trigger", trigger)
                .name("process").beginObject().field("pid", pid).field("jvm", jvm).endObject()
                .field("startedAtMicros", r.startMicros())
                .field("takenAtMicros", r.takenMicros());
        JsonReport.totals(json, Totals.of(r.endpoints()), r);
        // lanes take at most a quarter of the budget for their own fields, so cycles always get room
        int laneBudget = maxBytes / 4;
        long endpointsLeftOut = 0;
        long cyclesLeftOut = 0;
        long openLeftOut = 0;
        Set<Integer> stackIds = new HashSet<>();
        json.name("endpoints").beginArray();
        List<EndpointFindings> kept = new java.util.ArrayList<>();
        for (EndpointFindings f : findings) {
            if (out.length() > laneBudget) {
                endpointsLeftOut++;
                cyclesLeftOut += f.endpoint().cycleList().size();
                openLeftOut += f.endpoint().openConnections().size();
                continue;
            }
            kept.add(f);
            lane(json, f, stackIds);
        }
        json.endArray();
        // connections still open, before the cycles: few (bounded by the recorder), and what the picture ends on
        json.name("open").beginArray();
        for (int lane = 0; lane < kept.size(); lane++) {
            EndpointSnapshot e = kept.get(lane).endpoint();
            for (StillOpen o : e.openConnections()) {
                if (out.length() > maxBytes / 2) {
                    openLeftOut++;
                    continue;
                }
                json.beginObject().field("lane", lane).name("o");
                JsonReport.stillOpen(json, o, e.endpoint(), false);
                json.endObject();
                stackIds.add(o.connectStackId());
            }
        }
        json.endArray();
        // cycles in a separate map by lane index, newest first, so a cut keeps the recent end of every lane
        json.name("cycles").beginArray();
        int[] next = new int[kept.size()];
        boolean more = true;
        while (more) {
            more = false;
            for (int lane = 0; lane < kept.size(); lane++) {
                List<Cycle> cycles = kept.get(lane).endpoint().cycleList();
                int i = cycles.size() - 1 - next[lane];
                if (i < 0) {
                    continue;
                }
                next[lane]++;
                more = true;
                if (out.length() > maxBytes * 3L / 4) {
                    cyclesLeftOut++;
                    continue;
                }
                Cycle c = cycles.get(i);
                json.beginObject().field("lane", lane).name("c");
                JsonReport.cycle(json, c, kept.get(lane).endpoint().endpoint(), false);
                json.endObject();
                stackIds.add(c.closeStackId());
                stackIds.add(c.connectStackId());
            }
        }
        json.endArray();
        long stacksLeftOut = 0;
        json.name("stacks").beginArray();
        for (StackTrace stack : r.stacks()) {
            if (!stackIds.contains(stack.id())) {
                continue;
            }
            if (out.length() > maxBytes) {
                stacksLeftOut++;
                continue;
            }
            JsonReport.stack(json, stack);
        }
        json.endArray();
        long notKept = 0;
        for (EndpointSnapshot e : r.endpoints()) {
            notKept += e.cyclesDropped();
        }
        json.name("leftOut").beginObject()
                .field("endpoints", endpointsLeftOut).field("cycles", cyclesLeftOut).field("stacks", stacksLeftOut)
                .field("openConnections", openLeftOut).field("cyclesNotKept", notKept).field("maxBytes", maxBytes).endObject();
        json.name("limits").beginObject().field("cycles", r.settings().cycles())
                .field("openConnectionsPerEndpoint", EndpointSnapshot.OPEN_PER_ENDPOINT)
                .field("openConnectionsInAll", EndpointSnapshot.OPEN_IN_ALL)
                .field("maxEndpoints", r.settings().maxEndpoints()).endObject();
        json.name("dropped").beginObject()
                .field("stacks", r.stacksDropped()).field("stacksNotSampled", r.stacksNotSampled())
                .field("untrackedConnections", r.untrackedConnections())
                .field("lumpedConnections", r.lumpedConnections()).field("traceEvents", r.eventsDropped())
                .endObject();
        json.name("agent").beginObject().field("errors", r.agentErrors()).field("lastError", r.lastAgentError());
        json.name("unavailable").beginObject();
        for (Map.Entry<String, String> internal : r.unavailable().entrySet()) {
            json.field(internal.getKey(), internal.getValue());
        }
        json.endObject().endObject();
        json.endObject();
        return out.toString();
    }

    private static void lane(Json json, EndpointFindings f, Set<Integer> stackIds) {
        EndpointSnapshot e = f.endpoint();
        json.beginObject()
                .field("endpoint", e.endpoint().key())
                .field("hostName", e.endpoint().hostName())
                .field("accepted", e.endpoint().accepted())
                .field("opened", e.opened()).field("openedBeforeRecording", e.openedBefore())
                .field("closed", e.closed()).field("open", e.open())
                .field("failedConnects", e.failedConnects()).field("reconnects", e.reconnects())
                .field("requestInFlightCloses", e.requestInFlightCloses());
        json.name("closesByCause").beginObject();
        for (CloseCause cause : CloseCause.values()) {
            json.field(JsonReport.causeName(cause), e.closes(cause));
        }
        json.endObject()
                .field("verdict", f.verdict())
                .field("firstEventAtMicros", e.firstMicros())
                .field("lastEventAtMicros", e.lastMicros());
        JsonReport.attribution(json, "closedBy", f.closer());
        JsonReport.attribution(json, e.endpoint().accepted() ? "acceptedBy" : "reopenedBy", f.reopener());
        json.field("cyclesKept", e.cycleList().size()).field("cyclesDropped", e.cyclesDropped())
                .field("openConnectionsKept", e.openConnections().size())
                .field("openConnectionsOmitted", e.openConnectionsOmitted()).endObject();
        if (f.closer().stack() != null) {
            stackIds.add(f.closer().stack().id());
        }
        if (f.reopener().stack() != null) {
            stackIds.add(f.reopener().stack().id());
        }
    }
}
