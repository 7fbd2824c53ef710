package io.socktrace.agent.report;

import io.socktrace.agent.analysis.Attribution;
import io.socktrace.agent.analysis.EndpointFindings;
import io.socktrace.agent.analysis.IdleFindings;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.analysis.ReconnectAnalysis;
import io.socktrace.agent.analysis.Totals;
import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.IdleObservations;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.StillOpen;
import io.socktrace.agent.bootstrap.Transport;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON, with the same content as the text report and nothing left out. The schema is
 * {@code report-schema.json} beside this class (and in the README): times are microseconds since the epoch
 * ({@code ...AtMicros}), durations microseconds ({@code ...Micros}) or milliseconds ({@code ...Millis}), causes
 * in lower camel case ({@code readTimeout}).
 */
public final class JsonReport {

    /** Bumped when a field changes meaning or disappears; additions keep it. */
    public static final int VERSION = 1;

    private final Libraries libraries;

    public JsonReport(Libraries libraries) {
        this.libraries = libraries;
    }

    public String render(RecordingSnapshot r, long pid, String jvm, String trigger) {
        List<EndpointFindings> findings = ReconnectAnalysis.analyze(r, libraries);
        StringBuilder out = new StringBuilder(8192);
        Json json = new Json(out).beginObject()
                .field("version", VERSION)
                .field("trigger", trigger)
                .name("process").beginObject().field("pid", pid).field("jvm", jvm).endObject()
                .field("startedAtMicros", r.startMicros())
                .field("takenAtMicros", r.takenMicros());
        totals(json, Totals.of(r.endpoints()), r);
        json.name("endpoints").beginArray();
        for (EndpointFindings f : findings) {
            endpoint(json, f, r);
        }
        json.endArray();
        json.name("stacks").beginArray();
        for (StackTrace stack : r.stacks()) {
            stack(json, stack);
        }
        json.endArray();
        RecorderSettings s = r.settings();
        json.name("limits").beginObject()
                .field("maxConnections", s.maxConnections()).field("maxEndpoints", s.maxEndpoints())
                .field("maxStacks", s.maxStacks()).field("stackDepth", s.stackDepth()).field("cycles", s.cycles())
                .field("reconnectWindowMicros", s.reconnectWindowNanos() / 1_000)
                .field("stackRate", s.stackRate()).field("endpointStackRate", s.endpointStackRate())
                .field("closeWaitMicros", s.closeWaitNanos() / 1_000)
                .field("openConnectionsPerEndpoint", EndpointSnapshot.OPEN_PER_ENDPOINT)
                .field("openConnectionsInAll", EndpointSnapshot.OPEN_IN_ALL).endObject();
        json.name("dropped").beginObject()
                .field("stacks", r.stacksDropped()).field("stacksNotSampled", r.stacksNotSampled())
                .field("untrackedConnections", r.untrackedConnections())
                .field("untrackedCloses", r.untrackedCloses())
                .field("lumpedConnections", r.lumpedConnections()).field("traceEvents", r.eventsDropped()).endObject();
        json.name("agent").beginObject().field("errors", r.agentErrors()).field("lastError", r.lastAgentError());
        json.name("errorsByPlace").beginObject();
        for (Map.Entry<String, Long> place : r.agentErrorsByPlace().entrySet()) {
            json.field(place.getKey(), place.getValue());
        }
        json.endObject().name("unavailable").beginObject();
        for (Map.Entry<String, String> internal : r.unavailable().entrySet()) {
            json.field(internal.getKey(), internal.getValue());
        }
        json.endObject().field("listeningSocketsKnown", r.listenersKnown()).endObject();
        reportTrigger(json, r.trigger());
        json.endObject();
        return out.append('\n').toString();
    }

    /** What {@code trigger=...} did; {@code null} without one. */
    private static void reportTrigger(Json json, io.socktrace.agent.bootstrap.ReportTrigger.Counts t) {
        json.name("reportTrigger");
        if (t == null) {
            json.value((String) null);
            return;
        }
        json.beginObject().field("rule", t.rule()).field("fired", t.fired()).field("suppressed", t.suppressed())
                .field("capPerInterval", t.capPerInterval()).field("intervalMicros", t.intervalMicros()).endObject();
    }

    static void totals(Json json, Totals t, RecordingSnapshot r) {
        json.name("totals").beginObject().field("opened", t.opened()).field("accepted", t.accepted())
                .field("openedBeforeRecording", t.openedBefore())
                .field("closed", t.closed()).field("open", t.open()).field("failedConnects", t.failedConnects())
                .field("reconnects", t.reconnects());
        CloseShapesJson.totals(json, r.endpoints());
        json.endObject();
    }

    private void endpoint(Json json, EndpointFindings f, RecordingSnapshot r) {
        EndpointSnapshot e = f.endpoint();
        json.beginObject()
                .field("endpoint", e.endpoint().key())
                .field("hostName", e.endpoint().hostName())
                .field("accepted", e.endpoint().accepted());
        OtelNames.endpoint(json, e.endpoint().accepted(), e.endpoint().address(), e.endpoint().port(),
                e.endpoint().hostName());
        json.name("transports").beginArray();
        for (Transport transport : Transport.values()) {
            if (e.openedByTransport().containsKey(transport)) {
                json.value(transport.apiName());
            }
        }
        json.endArray()
                .field("opened", e.opened()).field("openedBeforeRecording", e.openedBefore())
                .field("closed", e.closed()).field("open", e.open())
                .field("failedConnects", e.failedConnects()).field("reconnects", e.reconnects())
                .field("tlsClosed", e.tlsCloses()).field("requestInFlightCloses", e.requestInFlightCloses());
        json.name("closesByCause").beginObject();
        for (CloseCause cause : CloseCause.values()) {
            json.field(causeName(cause), e.closes(cause));
        }
        json.endObject();
        json.name("failedConnectsByReason").beginObject();
        for (Map.Entry<String, Long> failure : e.failuresByReason().entrySet()) {
            json.field(failure.getKey(), failure.getValue());
        }
        json.endObject()
                .field("verdict", f.verdict())
                .field("dominantCause", f.dominantCause() == null ? null : causeName(f.dominantCause()))
                .field("medianLifetimeMicros", f.medianLifetimeMicros())
                .field("medianReconnectGapMicros", f.medianGapMicros())
                .field("medianCloseDelayMicros", f.medianCloseDelayMicros())
                .field("medianInFlightMicros", f.medianInFlightMicros())
                .field("timeoutMillis", f.timeoutMillis())
                .field("firstEventAtMicros", e.firstMicros())
                .field("lastEventAtMicros", e.lastMicros());
        attribution(json, "closedBy", f.closer());
        attribution(json, e.endpoint().accepted() ? "acceptedBy" : "reopenedBy", f.reopener());
        attribution(json, "failedBy", f.failedConnector());
        CloseShapesJson.endpoint(json, e, r, libraries);
        RetryStormJson.write(json, io.socktrace.agent.analysis.RetryStorm.of(e), f.failedConnector());
        idle(json, f);
        json.name("cycles").beginArray();
        for (Cycle c : e.cycleList()) {
            cycle(json, c, e.endpoint());
        }
        json.endArray().field("cyclesDropped", e.cyclesDropped());
        json.name("openConnections").beginArray();
        for (StillOpen o : e.openConnections()) {
            stillOpen(json, o, e.endpoint(), true);
        }
        json.endArray().field("openConnectionsOmitted", e.openConnectionsOmitted()).endObject();
    }

    /** The peer's idle timeout, stale reuse and what to change; {@code null} when nothing bears on them. */
    private static void idle(Json json, EndpointFindings f) {
        IdleFindings i = f.idle();
        IdleObservations o = f.endpoint().idle();
        json.name("idle");
        if (i.observations() == 0 && i.staleReuses() == 0) {
            json.value((String) null);
            return;
        }
        json.beginObject()
                .field("observations", i.observations()).field("enough", i.enough()).field("exact", i.exact())
                .fieldOrNull("timeoutAboveMicros", i.lowerMicros()).fieldOrNull("timeoutAtMostMicros", i.upperMicros())
                .field("consistent", i.consistent()).fieldOrNull("reusedUpToMicros", i.reusedUpToMicros())
                .field("timeout", i.timeout())
                .field("reusedConnections", o.reusedConnections())
                .fieldOrNull("longestAnsweredMicros", o.reusedConnections() > 0 ? o.longestAnsweredMicros() : -1)
                .field("exactCloses", o.exactCloses()).fieldOrNull("exactMinMicros", o.exactMinMicros())
                .fieldOrNull("exactMaxMicros", o.exactMaxMicros())
                .field("foundClosed", o.foundClosed()).fieldOrNull("foundClosedMinMicros", o.foundClosedMinMicros())
                .field("staleReuses", o.staleReuses()).fieldOrNull("staleMinMicros", o.staleMinMicros())
                .fieldOrNull("staleMaxMicros", o.staleMaxMicros())
                .field("closedAfterReply", o.closedAfterReply())
                .fieldOrNull("closedAfterReplyMinMicros", o.closedAfterReplyMinMicros())
                .fieldOrNull("closedAfterReplyMaxMicros", o.closedAfterReplyMaxMicros());
        attribution(json, "staleFoundBy", i.staleBy());
        json.field("library", i.library()).field("suggestion", i.suggestion()).endObject();
    }

    /**
     * {@code null} only when there was no event of the kind; events without a kept stack (none sampled, or the
     * stack table full) give an object with a {@code null} stack, so that their counts are never lost.
     */
    static void attribution(Json json, String name, Attribution a) {
        json.name(name);
        if (a.stack() == null && a.total() == 0 && a.notSampled() == 0) {
            json.value((String) null);
            return;
        }
        boolean kept = a.stack() != null;
        json.beginObject()
                .field("frame", kept && a.frame() >= 0 ? a.stack().frame(a.frame()) : null)
                .field("calledFrom", a.calledFrom())
                .field("application", kept && a.application() >= 0 ? a.stack().frame(a.application()) : null)
                .field("decidedBy", a.decidedBy());
        if (kept) {
            json.field("stackId", a.stack().id());
        } else {
            json.field("stackId", (String) null);
        }
        json.field("count", a.count())
                .field("of", a.total())
                .field("notSampled", a.notSampled())
                .endObject();
    }

    static void cycle(Json json, Cycle c, io.socktrace.agent.bootstrap.Endpoint endpoint) {
        cycle(json, c, endpoint, true);
    }

    /** {@code otelNames} false leaves out the OpenTelemetry names, which repeat the endpoint's and the local port. */
    static void cycle(Json json, Cycle c, io.socktrace.agent.bootstrap.Endpoint endpoint, boolean otelNames) {
        json.beginObject()
                .field("id", c.id())
                .field("transport", c.transport().apiName())
                .field("tls", c.tls())
                .field("localAddress", c.localAddress())
                .field("localPort", c.localPort())
                .field("peer", c.peer())
                .field("openedBeforeRecording", c.openedBeforeRecording())
                .fieldOrNull("firstSeenAtMicros", c.openedBeforeRecording() ? c.openedMicros() : -1)
                .fieldOrNull("openedAtMicros", c.openedBeforeRecording() ? -1 : c.openedMicros())
                .fieldOrNull("connectMicros", c.connectMicros())
                .field("lastWriteAtMicros", c.lastWriteMicros())
                .field("lastReadAtMicros", c.lastReadMicros())
                .field("bytesWritten", c.bytesWritten())
                .field("bytesRead", c.bytesRead())
                .field("cause", causeName(c.cause()))
                .field("causeAtMicros", c.causeMicros())
                .field("timeoutMillis", c.timeoutMillis())
                .field("timeoutBlockedMicros", c.timeoutBlockedMicros())
                .field("error", c.errorMessage())
                .field("requestInFlight", c.requestInFlight())
                .field("closedAtMicros", c.closedMicros())
                .field("closeThread", c.closeThread())
                .field("closeStackId", Math.max(StackTable.NO_STACK, c.closeStackId()))
                .field("connectStackId", Math.max(StackTable.NO_STACK, c.connectStackId()))
                .field("reopenedAfterMicros", c.reopenedGapMicros());
        CloseShapesJson.cycle(json, c);
        if (otelNames) {
            OtelNames.connection(json, endpoint.accepted(), endpoint.address(), endpoint.port(), endpoint.hostName(),
                    c.localAddress(), c.localPort(), c.peer());
            String error = OtelNames.causeError(causeName(c.cause()));
            if (error != null) {
                json.field("error.type", error);
            }
        }
        json.endObject();
    }

    /** A connection still open when the report was taken; its times so far, in the fields of a cycle. */
    static void stillOpen(Json json, StillOpen o, io.socktrace.agent.bootstrap.Endpoint endpoint, boolean otelNames) {
        json.beginObject()
                .field("id", o.id())
                .field("transport", o.transport().apiName())
                .field("tls", o.tls())
                .field("localAddress", o.localAddress())
                .field("localPort", o.localPort())
                .field("peer", o.peer())
                .field("openedBeforeRecording", o.openedBeforeRecording())
                .fieldOrNull("firstSeenAtMicros", o.firstSeenMicros())
                .fieldOrNull("openedAtMicros", o.openedMicros())
                .fieldOrNull("connectMicros", o.connectMicros())
                .field("connectThread", o.connectThread())
                .field("connectStackId", o.connectStackId())
                .field("lastWriteAtMicros", o.lastWriteMicros())
                .field("lastReadAtMicros", o.lastReadMicros())
                .field("bytesWritten", o.bytesWritten())
                .field("bytesRead", o.bytesRead())
                .field("requestInFlight", o.requestInFlight())
                .field("requestAtMicros", o.requestMicros())
                .field("endOfStreamAtMicros", o.endOfStreamMicros());
        if (otelNames) {
            OtelNames.connection(json, endpoint.accepted(), endpoint.address(), endpoint.port(), endpoint.hostName(),
                    o.localAddress(), o.localPort(), o.peer());
        }
        json.endObject();
    }

    static void stack(Json json, StackTrace stack) {
        json.beginObject().field("id", stack.id()).field("count", stack.count()).field("truncated", stack.truncated());
        frames(json, stack);
        json.endObject();
    }

    static void frames(Json json, StackTrace stack) {
        json.name("frames").beginArray();
        for (int i = 0; i < stack.depth(); i++) {
            json.beginObject().field("class", stack.className(i)).field("method", stack.methodName(i))
                    .field("file", stack.fileName(i)).field("line", stack.lineNumber(i)).endObject();
        }
        json.endArray();
    }

    /** {@code READ_TIMEOUT} as {@code readTimeout}. */
    static String causeName(CloseCause cause) {
        String[] words = cause.name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }
}
