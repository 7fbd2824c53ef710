package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.ConnectionEvent;
import io.socktrace.agent.bootstrap.ConnectionListener;
import io.socktrace.agent.bootstrap.Faults;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The event trace ({@code trace=PATH}): every connection event as one JSON object per line (JSON Lines), written
 * by one background thread. The socket threads only offer the event to a bounded queue; when the writer falls
 * behind, events are dropped and counted (the report says how many), never waited for. One file for the whole
 * session: each recording (a reset starts a new one) adds itself as a listener, and events carry their stacks
 * resolved, so nothing here refers to a recording's tables.
 */
public final class TraceWriter implements ConnectionListener {

    /** Events buffered between the socket threads and the writer. */
    static final int CAPACITY = 8192;

    private final ArrayBlockingQueue<ConnectionEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Writer out;
    private final Thread thread;
    private volatile boolean closing;

    private TraceWriter(Writer out) {
        this.out = out;
        this.thread = AgentHealth.thread("socktrace-trace", "trace writer", this::drain);
    }

    /**
     * Creates (or truncates) the trace file, owner-only and never through a link (see {@link ReportFiles}), and
     * starts its writer thread.
     */
    public static TraceWriter start(Path path) throws IOException {
        // java.io rather than Files.newBufferedWriter, which on JDK 25 loads SocketChannelImpl during premain and so
        // forces the instrumentation to be built before main (see BootstrapInjector)
        TraceWriter writer = new TraceWriter(new BufferedWriter(
                new OutputStreamWriter(ReportFiles.openPrivate(path), StandardCharsets.UTF_8), 64 * 1024));
        writer.thread.start();
        return writer;
    }

    @Override
    public boolean onEvent(ConnectionEvent event) {
        return !closing && queue.offer(event);
    }

    private void drain() {
        try {
            while (!closing || !queue.isEmpty()) {
                ConnectionEvent event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    Faults.check(Faults.Fault.TRACE);
                    out.write(line(event));
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException | IOException | RuntimeException stopped) {
            AgentHealth.failed("trace writer", stopped);
            System.err.println("socktrace: event trace stopped (" + stopped + ")");
        }
    }

    /** Stops taking events, writes what is buffered and closes the file; waits at most {@code millis}. */
    public void close(long millis) {
        closing = true;
        try {
            thread.join(millis);
            out.close();
        } catch (InterruptedException | IOException e) {
            AgentHealth.failed("trace writer", e);
            System.err.println("socktrace: event trace not closed cleanly (" + e + ")");
        }
    }

    /** OpenTelemetry's names for the event's connection ({@link OtelNames}), and its {@code error.type}. */
    private static void otelNames(Json json, ConnectionEvent e) {
        OtelNames.connection(json, e.accepted(), OtelNames.address(e.endpoint()), OtelNames.port(e.endpoint()),
                e.hostName(), e.localAddress(), e.localPort(), e.peer());
        String error;
        switch (e.kind()) {
            case CONNECT_FAILED:
                error = OtelNames.connectError(e.detail());
                break;
            case READ_TIMEOUT:
                error = "timeout";
                break;
            case ERROR:
                error = OtelNames.causeError(io.socktrace.agent.bootstrap.CloseCause.ofError(e.detail()).name());
                break;
            default:
                error = null;
                break;
        }
        if (error != null) {
            json.field("error.type", error);
        }
    }

    String line(ConnectionEvent e) {
        StringBuilder line = new StringBuilder(256);
        Json json = new Json(line).beginObject()
                .field("event", e.kind().name().toLowerCase(Locale.ROOT))
                .field("atMicros", e.epochMicros())
                .field("endpoint", e.endpoint())
                .field("accepted", e.accepted())
                .field("transport", e.transport())
                .field("localPort", e.localPort())
                .field("peer", e.peer())
                .field("thread", e.thread())
                .fieldOrNull("durationMicros", e.durationMicros())
                .field("timeoutMillis", e.timeoutMillis())
                .field("detail", e.detail())
                .field("requestInFlight", e.requestInFlight());
        otelNames(json, e);
        StackTrace stack = e.stack();
        if (stack != null) {
            json.field("stackId", stack.id());
            JsonReport.frames(json, stack);
        }
        json.endObject();
        return line.append('\n').toString();
    }
}
