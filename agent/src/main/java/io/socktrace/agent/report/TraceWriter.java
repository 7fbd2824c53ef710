package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.ConnectionEvent;
import io.socktrace.agent.bootstrap.ConnectionListener;
import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.StackTable;
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
 * behind, events are dropped and counted (the report says how many), never waited for.
 */
public final class TraceWriter implements ConnectionListener {

    /** Events buffered between the socket threads and the writer. */
    static final int CAPACITY = 8192;

    private final ArrayBlockingQueue<ConnectionEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Recorder recorder;
    private final Writer out;
    private final Thread thread;
    private volatile boolean closing;

    private TraceWriter(Recorder recorder, Writer out) {
        this.recorder = recorder;
        this.out = out;
        this.thread = new Thread(this::drain, "socktrace-trace");
        this.thread.setDaemon(true);
    }

    /** Creates (or truncates) the trace file and starts its writer thread. */
    public static TraceWriter start(Path path, Recorder recorder) throws IOException {
        // java.io rather than Files.newBufferedWriter, which on JDK 25 loads SocketChannelImpl during premain and so
        // forces the instrumentation to be built before main (see BootstrapInjector)
        TraceWriter writer = new TraceWriter(recorder, new BufferedWriter(
                new OutputStreamWriter(new FileOutputStream(path.toFile()), StandardCharsets.UTF_8), 64 * 1024));
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
                    out.write(line(event));
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException | IOException stopped) {
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
            System.err.println("socktrace: event trace not closed cleanly (" + e + ")");
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
                .field("durationMicros", e.durationMicros())
                .field("timeoutMillis", e.timeoutMillis())
                .field("detail", e.detail())
                .field("requestInFlight", e.requestInFlight());
        StackTrace stack = e.stackId() == StackTable.NO_STACK ? null : recorder.stack(e.stackId());
        if (stack != null) {
            json.field("stackId", stack.id());
            JsonReport.frames(json, stack);
        }
        json.endObject();
        return line.append('\n').toString();
    }
}
