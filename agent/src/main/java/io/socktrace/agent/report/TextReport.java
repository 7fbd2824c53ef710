package io.socktrace.agent.report;

import io.socktrace.agent.analysis.Attribution;
import io.socktrace.agent.analysis.Durations;
import io.socktrace.agent.analysis.EndpointFindings;
import io.socktrace.agent.analysis.IdleFindings;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.analysis.ReconnectAnalysis;
import io.socktrace.agent.analysis.Totals;
import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.StillOpen;
import io.socktrace.agent.bootstrap.Transport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text reconnect report: a header, then one block per endpoint (most churn first) whose first line
 * is the verdict, then every distinct stack with its count. Times are wall-clock with microseconds, in the
 * JVM's time zone, so that lines can be matched against a packet capture.
 */
public final class TextReport {

    /** Frames printed per stack in the stacks section; the rest are summarised. */
    static final int FRAMES_SHOWN = 16;
    /** Connections still open listed per endpoint; the JSON report has more, and every one is counted. */
    static final int OPEN_SHOWN = 10;
    /** Prose lines (the verdict) are wrapped to this width. */
    static final int WIDTH = 120;

    private final ZoneId zone;
    private final Libraries libraries;
    private final DateTimeFormatter time;
    private final DateTimeFormatter dateTime;

    public TextReport(ZoneId zone, Libraries libraries) {
        this.zone = zone;
        this.libraries = libraries;
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(zone);
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
    }

    /**
     * Renders a report.
     *
     * @param process one line naming the process (pid, JVM), printed in the header
     * @param trigger why the report was written ("exit", "signal USR1")
     */
    public String render(RecordingSnapshot recording, String process, String trigger) {
        List<EndpointFindings> findings = ReconnectAnalysis.analyze(recording, libraries);
        StringBuilder out = new StringBuilder(4096);
        header(out, recording, findings, process, trigger);
        for (EndpointFindings f : findings) {
            endpoint(out, f, recording);
        }
        stacks(out, recording);
        health(out, recording);
        return out.toString();
    }

    private void header(StringBuilder out, RecordingSnapshot r, List<EndpointFindings> findings, String process,
                        String trigger) {
        Totals t = Totals.of(r.endpoints());
        out.append("socktrace report (").append(trigger).append(")  ").append(process).append('\n');
        out.append("recorded ").append(dateTime.format(instant(r.startMicros()))).append(" .. ")
                .append(time.format(instant(r.takenMicros()))).append(' ').append(zone.getId()).append(" (")
                .append(Durations.format(r.takenMicros() - r.startMicros())).append(")\n");
        out.append("connections: ").append(t.opened()).append(" opened, ").append(t.accepted()).append(" accepted, ");
        if (t.openedBefore() > 0) {
            out.append(t.openedBefore()).append(" open since before recording, ");
        }
        out
                .append(t.failedConnects()).append(" failed to connect, ").append(t.closed()).append(" closed, ")
                .append(t.open()).append(" open   reconnects: ").append(t.reconnects()).append(" to ")
                .append(t.reconnecting()).append(t.reconnecting() == 1 ? " endpoint" : " endpoints").append('\n');
        CloseShapesText.header(out, r);
        if (findings.isEmpty()) {
            out.append("\nno TCP connections recorded\n");
        }
    }

    private void endpoint(StringBuilder out, EndpointFindings f, RecordingSnapshot recording) {
        EndpointSnapshot e = f.endpoint();
        out.append('\n').append(e.endpoint()).append("   ");
        long span = e.lastMicros() - e.firstMicros();
        out.append(e.reconnects()).append(e.reconnects() == 1 ? " reconnect" : " reconnects");
        if (e.reconnects() > 0 && span > 0) {
            out.append(String.format(Locale.ROOT, " in %s (%.1f/min)", Durations.format(span),
                    e.reconnects() * 60_000_000.0 / span));
        }
        out.append("   opened ").append(e.opened());
        if (e.openedBefore() > 0) {
            out.append(" (+").append(e.openedBefore()).append(" before recording)");
        }
        out.append("  closed ").append(e.closed()).append("  open ").append(e.open());
        if (e.failedConnects() > 0) {
            out.append("  failed ").append(e.failedConnects());
        }
        if (!e.openedByTransport().isEmpty()) {
            StringBuilder via = new StringBuilder();
            for (Transport transport : Transport.values()) {
                if (e.openedByTransport().containsKey(transport)) {
                    via.append(via.length() == 0 ? "" : ", ").append(transport.apiName());
                }
            }
            out.append("  via ").append(via);
        }
        if (e.tlsCloses() > 0) {
            out.append("  TLS ").append(e.tlsCloses()).append(" of ").append(e.closed()).append(" closed");
        }
        out.append('\n');
        wrap(out, "  verdict      ", f.verdict());
        if (e.closed() > 0) {
            out.append("  closes       ").append(closes(e)).append('\n');
            out.append("  lifetime     median ").append(Durations.format(f.medianLifetimeMicros()));
            if (f.medianGapMicros() >= 0) {
                out.append("   reconnect gap median ").append(Durations.format(f.medianGapMicros()));
            }
            out.append('\n');
            attribution(out, "closed by", f.closer());
        }
        CloseShapesText.endpoint(out, e, recording, libraries, this::time);
        if (e.reconnects() > 0) {
            attribution(out, e.endpoint().accepted() ? "accepted by" : "reopened by", f.reopener());
        }
        if (e.failedConnects() > 0) {
            io.socktrace.agent.analysis.RetryStorm storm = io.socktrace.agent.analysis.RetryStorm.of(e);
            if (storm != null) {
                wrap(out, "  retries      ", storm.summary());
            }
            attribution(out, "failed by", f.failedConnector());
        }
        idle(out, f.idle());
        List<Cycle> cycles = e.cycleList();
        if (!cycles.isEmpty()) {
            out.append("  last cycles  ").append(e.endpoint().accepted() ? "client" : "local port")
                    .append(", then wall-clock times");
            if (e.cyclesDropped() > 0) {
                out.append(" (").append(e.cyclesDropped()).append(" earlier not kept; cycles=N keeps more)");
            }
            out.append('\n');
            for (Cycle c : cycles) {
                cycle(out, c);
            }
        }
        stillOpen(out, e);
    }

    /** The connections open when the report was taken, longest open first, as far as the snapshot kept them. */
    private void stillOpen(StringBuilder out, EndpointSnapshot e) {
        List<StillOpen> open = e.openConnections();
        if (open.isEmpty()) {
            return;
        }
        int shown = Math.min(open.size(), OPEN_SHOWN);
        long more = open.size() - shown + e.openConnectionsOmitted();
        out.append("  still open   ").append(e.endpoint().accepted() ? "client" : "local port")
                .append(", then wall-clock times");
        if (more > 0) {
            out.append(" (").append(more).append(" more not listed")
                    .append(open.size() > shown ? "; the JSON report lists " + open.size() : "").append(')');
        }
        out.append('\n');
        for (StillOpen o : open.subList(0, shown)) {
            opened(out, o.peer(), o.localPort(), o.tls(), o.openedBeforeRecording(),
                    o.openedBeforeRecording() ? o.firstSeenMicros() : o.openedMicros(), o.connectMicros());
            if (!o.openedBeforeRecording() && o.connectThread() != null) {
                out.append(" by \"").append(o.connectThread()).append('"');
            }
            lastIo(out, o.lastWriteMicros(), o.lastReadMicros());
            if (o.requestInFlight()) {
                out.append("  request in flight since ").append(time(o.requestMicros()));
            }
            if (o.endOfStreamMicros() != 0) {
                out.append("  EOF ").append(time(o.endOfStreamMicros())).append(" (the peer closed; open here since)");
            }
            out.append('\n');
        }
    }

    /** The peer's idle timeout, stale reuse and what to change, when anything bears on them. */
    private static void idle(StringBuilder out, IdleFindings i) {
        if (i.timeout() != null) {
            wrap(out, "  idle timeout ", i.timeout());
        }
        if (i.staleReuses() > 0) {
            attribution(out, "stale reuse", i.staleBy());
        }
        if (i.suggestion() != null) {
            wrap(out, "  change       ", (i.library() != null ? i.library() + ": " : "") + i.suggestion());
        }
    }

    /** Appends {@code text} after {@code label}, wrapped at word boundaries and indented under the label. */
    static void wrap(StringBuilder out, String label, String text) {
        String indent = " ".repeat(label.length());
        int width = Math.max(40, WIDTH - label.length());
        out.append(label);
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > 0 && column + 1 + word.length() > width) {
                out.append('\n').append(indent);
                column = 0;
            } else if (column > 0) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        out.append('\n');
    }

    private static String closes(EndpointSnapshot e) {
        StringBuilder out = new StringBuilder();
        for (CloseCause cause : CloseCause.values()) {
            long n = e.closes(cause);
            if (n > 0) {
                out.append(out.length() == 0 ? "" : ", ").append(n).append(' ').append(cause.description());
            }
        }
        out.append("; ").append(e.requestInFlightCloses()).append(" with a request in flight");
        return out.toString();
    }

    static void attribution(StringBuilder out, String role, Attribution a) {
        out.append("  ").append(String.format(Locale.ROOT, "%-13s", role)).append(a.where());
        if (a.stack() != null) {
            out.append("   ").append(a.count()).append(" of ").append(a.total())
                    .append(a.notSampled() > 0 ? " sampled" : "").append("  [s").append(a.stack().id()).append(']');
        }
        out.append('\n');
        String caller = a.calledFrom();
        if (caller != null) {
            out.append("                 called from ").append(caller).append('\n');
        }
        String application = a.applicationFrame();
        if (application != null) {
            out.append("                 application ").append(application).append('\n');
        }
        String decided = a.decidedBy();
        if (decided != null) {
            out.append("                 decided in ").append(decided).append('\n');
        }
    }

    /**
     * The start of a connection's line, the same for a closed cycle and one still open: who, TLS, when it opened (or
     * was first seen, if open since before recording) and how long its connect took.
     */
    private void opened(StringBuilder out, String peer, int localPort, boolean tls, boolean openedBeforeRecording,
                        long openedMicros, long connectMicros) {
        out.append("    ").append(peer != null ? "from " + peer : ":" + localPort).append(tls ? "  TLS" : "");
        if (openedBeforeRecording) {
            out.append("  open before recording, first seen ").append(time(openedMicros));
            return;
        }
        out.append("  open ").append(time(openedMicros));
        if (peer == null) {
            out.append(" (connect ").append(Durations.format(connectMicros)).append(')');
        }
    }

    private void lastIo(StringBuilder out, long lastWriteMicros, long lastReadMicros) {
        if (lastWriteMicros != 0) {
            out.append("  last write ").append(time(lastWriteMicros));
        }
        if (lastReadMicros != 0) {
            out.append("  last read ").append(time(lastReadMicros));
        }
    }

    private void cycle(StringBuilder out, Cycle c) {
        // a cycle open since before recording keeps its first-seen time as its open time
        opened(out, c.peer(), c.localPort(), c.tls(), c.openedBeforeRecording(), c.openedMicros(), c.connectMicros());
        lastIo(out, c.lastWriteMicros(), c.lastReadMicros());
        CloseShapesText.cycleHalfCloses(out, c, this::time);
        switch (c.cause()) {
            case READ_TIMEOUT:
                out.append("  timeout ").append(time(c.causeMicros())).append(" (SO_TIMEOUT ")
                        .append(c.timeoutMillis()).append(" ms, blocked ")
                        .append(Durations.format(c.timeoutBlockedMicros())).append(')');
                break;
            case END_OF_STREAM:
                out.append("  EOF ").append(time(c.causeMicros()));
                break;
            case RESET:
            case IO_ERROR:
                out.append("  error ").append(time(c.causeMicros())).append(" (").append(c.errorMessage()).append(')');
                break;
            default:
                break;
        }
        out.append(c.cause() == CloseCause.COLLECTED ? "  collected " : "  close ").append(time(c.closedMicros()));
        if (c.closeThread() != null) {
            out.append(" by \"").append(c.closeThread()).append('"');
        }
        CloseShapesText.cycleAfterClose(out, c);
        if (c.requestInFlight()) {
            out.append("  request in flight");
        }
        if (c.reopenedGapMicros() >= 0) {
            out.append("  -> reopened ").append(Durations.format(c.reopenedGapMicros())).append(" later");
        }
        out.append('\n');
    }

    private void stacks(StringBuilder out, RecordingSnapshot r) {
        out.append("\nstacks (").append(r.stacks().size()).append(" distinct");
        if (r.stacksDropped() > 0) {
            out.append(", ").append(r.stacksDropped()).append(" captures not kept: maxStacks=")
                    .append(r.settings().maxStacks()).append(" reached");
        }
        if (r.stacksNotSampled() > 0) {
            out.append(", ").append(r.stacksNotSampled()).append(" connects and closes not sampled: above stackRate=")
                    .append(r.settings().stackRate()).append("/s or ").append(r.settings().endpointStackRate())
                    .append("/s per endpoint; counts stay exact, stacks are a sample");
        }
        out.append(")\n");
        for (StackTrace stack : r.stacks()) {
            out.append("  [s").append(stack.id()).append("] ").append(stack.count()).append("x\n");
            int shown = Math.min(stack.depth(), FRAMES_SHOWN);
            for (int i = 0; i < shown; i++) {
                out.append("      at ").append(stack.frame(i)).append('\n');
            }
            if (stack.depth() > shown || stack.truncated()) {
                out.append("      ... ").append(stack.depth() - shown).append(" more")
                        .append(stack.truncated() ? " (and frames beyond stackDepth)" : "").append('\n');
            }
        }
    }

    private static void health(StringBuilder out, RecordingSnapshot r) {
        out.append("\nagent: ").append(r.agentErrors()).append(" internal errors");
        if (r.agentErrors() > 0) {
            StringBuilder places = new StringBuilder();
            for (java.util.Map.Entry<String, Long> place : r.agentErrorsByPlace().entrySet()) {
                places.append(places.length() == 0 ? "" : ", ").append(place.getKey()).append(' ')
                        .append(place.getValue());
            }
            out.append(" (").append(places).append("; last: ").append(r.lastAgentError()).append(')');
        }
        out.append(", ").append(r.untrackedConnections()).append(" connections untracked (maxConnections=")
                .append(r.settings().maxConnections()).append("), ").append(r.lumpedConnections())
                .append(" to endpoints beyond maxEndpoints=").append(r.settings().maxEndpoints());
        if (r.untrackedCloses() > 0) {
            out.append(", ").append(r.untrackedCloses()).append(" closes of untracked connections");
        }
        if (r.eventsDropped() > 0) {
            out.append(", ").append(r.eventsDropped()).append(" trace events dropped (the trace writer fell behind)");
        }
        out.append('\n');
        if (r.trigger() != null) {
            io.socktrace.agent.bootstrap.ReportTrigger.Counts t = r.trigger();
            out.append("agent: trigger ").append(t.rule()).append(": ").append(t.fired())
                    .append(t.fired() == 1 ? " report" : " reports").append(" triggered");
            if (t.suppressed() > 0) {
                out.append(", ").append(t.suppressed()).append(" more not written (at most ")
                        .append(t.capPerInterval()).append(" per ").append(Durations.format(t.intervalMicros()))
                        .append(')');
            }
            out.append('\n');
        }
        if (!r.listenersKnown()) {
            out.append("agent: this process's listening sockets could not be read; connections open since before "
                    + "recording are grouped as made by this JVM\n");
        }
        for (java.util.Map.Entry<String, String> internal : r.unavailable().entrySet()) {
            out.append("agent: cannot reach ").append(internal.getKey()).append(": ").append(internal.getValue())
                    .append('\n');
        }
    }

    private String time(long epochMicros) {
        return epochMicros == 0 ? "-" : time.format(instant(epochMicros));
    }

    private static Instant instant(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }
}
