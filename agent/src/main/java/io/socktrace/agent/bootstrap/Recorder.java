package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns socket events into per-connection records and per-endpoint aggregates. Thread-safe; connect, accept and
 * close take one endpoint lock, reads and writes take none. Every method is called by {@link SocketEvents}, which
 * contains its failures.
 *
 * <p>A connection is identified by the object that carries its I/O ({@code NioSocketImpl},
 * {@code SocketChannelImpl}, the asynchronous channel), so that the layers wrapping it (a {@code Socket}, an
 * {@code SSLSocket}, a channel's socket adaptor) are one connection.
 */
public final class Recorder {

    private static final Endpoint OTHER_ENDPOINTS = new Endpoint("other", 0, null);

    /**
     * Read timeouts the JDK provokes on purpose and swallows, which no application code ever sees: the 1 ms drain
     * of an {@code SSLSocket} close and {@code HttpURLConnection}'s 1 ms stale-connection probe.
     */
    private static final String[][] DELIBERATE_TIMEOUTS = {
        {"sun.security.ssl.SSLSocketImpl", "closeSocket"},
        {"sun.security.ssl.SSLSocketInputRecord", "deplete"},
        {"sun.net.www.http.HttpClient", "available"},
    };

    private final RecorderSettings settings;
    private final ConnectionTable<ConnectionRecord> connections;
    private final ConnectionTable<PendingConnect> pending;
    private final StackTable stacks;
    private final StackSampler sampler;
    private final ConcurrentHashMap<Endpoint, EndpointAggregate> endpoints = new ConcurrentHashMap<>();
    private final EndpointAggregate otherEndpoints;
    private final ConcurrentHashMap<InetSocketAddress, Endpoint> remoteCache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, Endpoint> listeningCache = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder untrackedConnections = new LongAdder();
    private final LongAdder lumpedConnections = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder eventsDropped = new LongAdder();
    private volatile ConnectionListener[] listeners = new ConnectionListener[0];
    private volatile String lastError;
    private final long startMicros = Clock.epochMicros(Clock.nanos());

    public Recorder(RecorderSettings settings) {
        this.settings = settings;
        this.connections = new ConnectionTable<>(settings.maxConnections());
        this.pending = new ConnectionTable<>(settings.maxConnections());
        this.stacks = new StackTable(settings.maxStacks(), settings.stackDepth());
        this.sampler = new StackSampler(settings.stackRate());
        this.otherEndpoints = new EndpointAggregate(OTHER_ENDPOINTS, settings.cycles(), settings.reconnectWindowNanos());
    }

    public RecorderSettings settings() {
        return settings;
    }

    /** The stack behind an event's {@code stackId}, or {@code null}. */
    public StackTable.StackTrace stack(int stackId) {
        return stacks.stack(stackId);
    }

    /** Adds a listener for connection events from now on. */
    public synchronized void addListener(ConnectionListener listener) {
        ConnectionListener[] more = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = listener;
        listeners = more;
    }

    /** The listeners added so far. */
    public java.util.List<ConnectionListener> listeners() {
        return java.util.List.of(listeners);
    }

    private boolean publishing(ConnectionEvent.Kind kind) {
        for (ConnectionListener listener : listeners) {
            if (listener.wants(kind)) {
                return true;
            }
        }
        return false;
    }

    private void publish(ConnectionEvent event) {
        for (ConnectionListener listener : listeners) {
            try {
                if (listener.wants(event.kind()) && !listener.onEvent(event)) {
                    eventsDropped.increment();
                }
            } catch (Throwable error) {
                failed(error);
            }
        }
    }

    private void publish(ConnectionEvent.Kind kind, long nanos, ConnectionRecord record, int stackId,
                         long durationNanos, int timeoutMillis, String detail, boolean requestInFlight) {
        publish(new ConnectionEvent(kind, Clock.epochMicros(nanos), record.endpoint.key(), record.endpoint.accepted(),
                record.transport.apiName(), record.localPort,
                record.peer == null ? null : Endpoint.of(record.peer).key(), threadName(), stackId,
                durationNanos / 1_000, timeoutMillis, detail, requestInFlight));
    }

    /** A connect made by this JVM succeeded. */
    void connected(Object socket, Transport transport, InetSocketAddress remote, InetAddress local, int localPort,
                   long startNanos) {
        opened(socket, transport, endpoint(remote, false), null, local, localPort, startNanos, captureStack(),
                threadName());
    }

    /** A non-blocking or asynchronous connect started; {@link #connectFinished} or a failure follows. */
    void connectPending(Object socket, Transport transport, InetSocketAddress remote, long startNanos) {
        if (!pending.add(socket, new PendingConnect(transport, remote, startNanos, captureStack(), threadName()))) {
            untrackedConnections.increment();
        }
    }

    /** {@code finishConnect} is starting on this thread: a close it makes on failure is not the application's. */
    void connectFinishing(Object socket) {
        PendingConnect connect = pending.get(socket);
        if (connect != null) {
            connect.finishing = Thread.currentThread();
        }
    }

    /** A pending connect completed; attributed to the stack and thread that started it. */
    void connectFinished(Object socket, InetAddress local, int localPort) {
        PendingConnect connect = pending.remove(socket);
        if (connect != null) {
            opened(socket, connect.transport, endpoint(connect.remote, false), null, local, localPort, connect.startNanos,
                    connect.stackId, connect.thread);
        }
    }

    /** A pending connect failed (in {@code finishConnect}, or its channel was closed first). */
    void connectPendingFailed(Object socket, String reason) {
        PendingConnect connect = pending.remove(socket);
        if (connect != null) {
            connectFailed(endpoint(connect.remote, false), connect.transport, connect.startNanos, reason, connect.stackId);
        }
    }

    void connectFailed(InetSocketAddress remote, Transport transport, long startNanos, Throwable failure) {
        connectFailed(endpoint(remote, false), transport, startNanos, failureReason(failure), captureStack());
    }

    private void connectFailed(Endpoint endpoint, Transport transport, long startNanos, String reason, int stackId) {
        opening(endpoint).connectFailed(startNanos, reason, stackId);
        if (publishing(ConnectionEvent.Kind.CONNECT_FAILED)) {
            long now = Clock.nanos();
            publish(new ConnectionEvent(ConnectionEvent.Kind.CONNECT_FAILED, Clock.epochMicros(now), endpoint.key(),
                    false, transport.apiName(), 0, null, threadName(), stackId, (now - startNanos) / 1_000, 0, reason,
                    false));
        }
    }

    /**
     * A server socket of this JVM accepted a connection; grouped under the listening address. It opened when the
     * accept returned: how long the accept waited for a client says nothing about the connection.
     */
    void accepted(Object socket, Transport transport, InetSocketAddress listening, InetSocketAddress peer) {
        opened(socket, transport, endpoint(listening, true), peer, listening.getAddress(),
                listening.getPort(), Clock.nanos(), captureStack(), threadName());
    }

    private void opened(Object socket, Transport transport, Endpoint endpoint, InetSocketAddress peer, InetAddress local,
                        int localPort, long startNanos, int stackId, String thread) {
        Faults.check(Faults.Fault.RECORD);
        foldCollected();
        ConnectionRecord record = new ConnectionRecord(connectionIds.incrementAndGet(), transport, endpoint, peer,
                local, localPort, startNanos, Clock.nanos(), stackId, thread);
        if (!connections.add(socket, record)) {
            untrackedConnections.increment();
        }
        opening(endpoint).opened(record);
        ConnectionEvent.Kind kind = peer == null ? ConnectionEvent.Kind.CONNECT : ConnectionEvent.Kind.ACCEPT;
        if (publishing(kind)) {
            publish(kind, record.connectedNanos,
                    record, stackId, record.connectedNanos - startNanos, 0, null, false);
        }
    }

    /** An {@code SSLSocket} completed a handshake over {@code layer} (any layer of the connection). */
    void tls(Object layer) {
        Object socket = JdkInternals.connectionOf(layer);
        ConnectionRecord record = socket == null ? null : connections.get(socket);
        if (record != null && !record.tls) {
            record.tls = true;
            if (publishing(ConnectionEvent.Kind.TLS)) {
                publish(ConnectionEvent.Kind.TLS, Clock.nanos(), record, StackTable.NO_STACK, 0, 0, null, false);
            }
        }
    }

    /** An {@code SSLSocket} over {@code layer} starts closing (and will write close_notify). */
    void tlsClosing(Object layer) {
        Object socket = JdkInternals.connectionOf(layer);
        ConnectionRecord record = socket == null ? null : connections.get(socket);
        if (record != null) {
            record.layerClosing();
        }
    }

    /** The I/O hot path: one table lookup and two field stores. */
    void read(Object socket, long n) {
        ConnectionRecord record = connections.get(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (record.read(now, n) && publishing(ConnectionEvent.Kind.END_OF_STREAM)) {
            publish(ConnectionEvent.Kind.END_OF_STREAM, now, record, StackTable.NO_STACK, 0, 0, null, false);
        }
    }

    void readFailed(Object socket, long startNanos, Throwable failure, int soTimeoutMillis) {
        ConnectionRecord record = connections.get(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (failure instanceof SocketTimeoutException) {
            if (!isDeliberate(failure)) {
                timedOut(record, now, soTimeoutMillis, now - startNanos);
            }
        } else {
            ioFailed(record, now, failure);
        }
    }

    private void timedOut(ConnectionRecord record, long now, int soTimeoutMillis, long blockedNanos) {
        record.timedOut(now, soTimeoutMillis, blockedNanos);
        if (publishing(ConnectionEvent.Kind.READ_TIMEOUT)) {
            publish(ConnectionEvent.Kind.READ_TIMEOUT, now, record, StackTable.NO_STACK, blockedNanos, soTimeoutMillis,
                    null, record.requestInFlight());
        }
    }

    private static boolean isDeliberate(Throwable timeout) {
        for (StackTraceElement frame : timeout.getStackTrace()) {
            for (String[] deliberate : DELIBERATE_TIMEOUTS) {
                if (frame.getMethodName().equals(deliberate[1]) && frame.getClassName().equals(deliberate[0])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An asynchronous read was initiated; its timeout is what a later timeout will report. */
    void asyncReadStarted(Object channel, long timeoutMillis) {
        ConnectionRecord record = connections.get(channel);
        if (record != null) {
            record.asyncReadStarted(Clock.nanos(), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        }
    }

    void asyncReadTimedOut(Object channel) {
        ConnectionRecord record = connections.get(channel);
        if (record != null) {
            long now = Clock.nanos();
            long started = record.asyncReadStartNanos;
            timedOut(record, now, record.asyncReadTimeoutMillis, started == 0 ? 0 : now - started);
        }
    }

    /** The I/O hot path: one table lookup and two field stores. */
    void written(Object socket, long startNanos, long n) {
        ConnectionRecord record = connections.get(socket);
        if (record != null) {
            record.written(startNanos, n);
        }
    }

    void writeFailed(Object socket, Throwable failure) {
        ConnectionRecord record = connections.get(socket);
        if (record != null) {
            ioFailed(record, Clock.nanos(), failure);
        }
    }

    private void ioFailed(ConnectionRecord record, long now, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        boolean reset = failure instanceof SocketException
                && (message.contains("reset") || message.contains("Broken pipe"));
        String error = failure.getClass().getName() + ": " + message;
        record.failed(now, reset ? CloseCause.RESET : CloseCause.IO_ERROR, error);
        if (publishing(ConnectionEvent.Kind.ERROR)) {
            publish(ConnectionEvent.Kind.ERROR, now, record, StackTable.NO_STACK, 0, 0, error, false);
        }
    }

    /** Called at the start of every close; only the first close of a tracked connection is recorded. */
    void closing(Object socket) {
        Faults.check(Faults.Fault.RECORD);
        ConnectionRecord record = connections.remove(socket);
        if (record == null) {
            PendingConnect connect = pending.get(socket);
            if (connect == null) {
                return;
            }
            if (connect.transport == Transport.ASYNC_CHANNEL) {
                // an asynchronous connect that fails closes its channel before completing the future or handler,
                // which is the only place its reason goes
                connectPendingFailed(socket, "failed (the completion handler gets the reason)");
            } else if (connect.finishing != Thread.currentThread()) {
                connectPendingFailed(socket, "closed while connecting"); // the application gave up on it
            }
            return;
        }
        long now = Clock.nanos();
        int stackId = captureStack();
        fold(record, record.cause(), now, threadName(), stackId);
        foldCollected();
    }

    private void fold(ConnectionRecord record, CloseCause cause, long closedNanos, String thread, int stackId) {
        Cycle cycle = new Cycle(record, cause, closedNanos, thread, stackId);
        aggregate(record.endpoint).closed(record, cycle, closedNanos, record.causeNanos(cause));
        if (publishing(ConnectionEvent.Kind.CLOSE)) {
            publish(ConnectionEvent.Kind.CLOSE, closedNanos, record, stackId, closedNanos - record.connectStartNanos, 0,
                    cause.name(), cycle.requestInFlight());
        }
    }

    /** Connections whose socket was garbage collected without a close: a leak, folded when noticed. */
    private void foldCollected() {
        for (ConnectionRecord record : connections.pollCollected()) {
            fold(record, CloseCause.COLLECTED, Clock.nanos(), null, StackTable.NO_STACK);
        }
        pending.pollCollected();
    }

    /**
     * The endpoint of an address, from a bounded cache: formatting an address is the costliest part of recording a
     * connect, and a JVM talks to few endpoints.
     */
    private Endpoint endpoint(InetSocketAddress address, boolean accepted) {
        java.util.Map<InetSocketAddress, Endpoint> cache = accepted ? listeningCache : remoteCache;
        Endpoint endpoint = cache.get(address);
        if (endpoint == null) {
            endpoint = accepted ? Endpoint.listening(address) : Endpoint.of(address);
            if (cache.size() < settings.maxEndpoints()) {
                cache.put(address, endpoint);
            }
        }
        return endpoint;
    }

    /** The aggregate a new connection (or attempt) counts in; counts those beyond the endpoint cap, once each. */
    private EndpointAggregate opening(Endpoint endpoint) {
        EndpointAggregate aggregate = aggregate(endpoint);
        if (aggregate == otherEndpoints) {
            lumpedConnections.increment();
        }
        return aggregate;
    }

    private EndpointAggregate aggregate(Endpoint endpoint) {
        EndpointAggregate aggregate = endpoints.get(endpoint);
        if (aggregate != null) {
            return aggregate;
        }
        if (endpoints.size() >= settings.maxEndpoints()) {
            return otherEndpoints;
        }
        // rare (at most maxEndpoints times): check and add under one lock so that racing threads cannot overshoot
        synchronized (endpoints) {
            aggregate = endpoints.get(endpoint);
            if (aggregate != null) {
                return aggregate;
            }
            if (endpoints.size() >= settings.maxEndpoints()) {
                return otherEndpoints;
            }
            aggregate = new EndpointAggregate(endpoint, settings.cycles(), settings.reconnectWindowNanos());
            endpoints.put(endpoint, aggregate);
            return aggregate;
        }
    }

    private static String threadName() {
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.getId() : name; // virtual threads are usually unnamed
    }

    static String failureReason(Throwable failure) {
        String type = failure.getClass().getSimpleName();
        String message = failure.getMessage();
        if (type.equals("ConnectException") && message != null && message.contains("refused")) {
            return "refused";
        }
        if (failure instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (type.equals("NoRouteToHostException")) {
            return "unreachable";
        }
        if (type.equals("UnknownHostException") || type.equals("UnresolvedAddressException")) {
            return "unknown host";
        }
        return message == null ? type : type + ": " + message;
    }

    /** Counts a failure inside the agent; it is reported, never thrown into the application. */
    public void failed(Throwable error) {
        errors.increment();
        lastError = error.toString();
    }

    /** The current stack's id; a failure to capture costs the stack, never the event. */
    private int captureStack() {
        try {
            if (!sampler.sample()) {
                return StackTable.NOT_SAMPLED;
            }
            Faults.check(Faults.Fault.STACK);
            return stacks.capture();
        } catch (Throwable error) {
            failed(error);
            return StackTable.NO_STACK;
        }
    }

    /** A consistent copy of everything recorded so far; recording carries on. */
    public RecordingSnapshot snapshot() {
        foldCollected();
        Map<Endpoint, Integer> open = new HashMap<>();
        for (ConnectionRecord record : connections.openRecords()) {
            Endpoint endpoint = endpoints.containsKey(record.endpoint) ? record.endpoint : OTHER_ENDPOINTS;
            open.merge(endpoint, 1, Integer::sum);
        }
        List<EndpointSnapshot> snapshots = new ArrayList<>();
        for (EndpointAggregate aggregate : endpoints.values()) {
            snapshots.add(aggregate.snapshot(open.getOrDefault(aggregate.endpoint(), 0)));
        }
        EndpointSnapshot other = otherEndpoints.snapshot(open.getOrDefault(OTHER_ENDPOINTS, 0));
        if (other.opened() + other.failedConnects() > 0) {
            snapshots.add(other);
        }
        snapshots.sort(Comparator.comparing(s -> s.endpoint().toString()));
        return new RecordingSnapshot(startMicros, Clock.epochMicros(Clock.nanos()), settings, snapshots,
                stacks.stacks(), stacks.dropped(), sampler.skipped(), untrackedConnections.sum(),
                lumpedConnections.sum(), eventsDropped.sum(), errors.sum(), lastError);
    }
}
