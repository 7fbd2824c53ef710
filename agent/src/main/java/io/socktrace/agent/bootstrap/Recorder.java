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
 * Turns socket events into per-connection records and per-endpoint aggregates. Thread-safe; connect and close
 * take one endpoint lock, reads and writes take none. Every public method is called by {@link SocketEvents},
 * which contains its failures.
 */
public final class Recorder {

    private static final Endpoint OTHER_ENDPOINTS = new Endpoint("other", 0, null);

    private final RecorderSettings settings;
    private final ConnectionTable connections;
    private final StackTable stacks;
    private final ConcurrentHashMap<Endpoint, EndpointAggregate> endpoints = new ConcurrentHashMap<>();
    private final EndpointAggregate otherEndpoints;
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder untrackedConnections = new LongAdder();
    private final LongAdder lumpedConnections = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile String lastError;
    private final long startMicros = Clock.epochMicros(Clock.nanos());

    public Recorder(RecorderSettings settings) {
        this.settings = settings;
        this.connections = new ConnectionTable(settings.maxConnections());
        this.stacks = new StackTable(settings.maxStacks(), settings.stackDepth());
        this.otherEndpoints = new EndpointAggregate(OTHER_ENDPOINTS, settings.cycles(), settings.reconnectWindowNanos());
    }

    public RecorderSettings settings() {
        return settings;
    }

    void connected(Object socket, InetSocketAddress remote, InetAddress local, int localPort, long startNanos) {
        long now = Clock.nanos();
        foldCollected();
        Endpoint endpoint = Endpoint.of(remote);
        ConnectionRecord record = new ConnectionRecord(connectionIds.incrementAndGet(), endpoint,
                local == null ? null : local.getHostAddress(), localPort, startNanos, now, stacks.capture(),
                Thread.currentThread().getName());
        if (!connections.add(socket, record)) {
            untrackedConnections.increment();
        }
        aggregate(endpoint).opened(record);
    }

    void connectFailed(InetSocketAddress remote, long startNanos, Throwable failure) {
        aggregate(Endpoint.of(remote)).connectFailed(startNanos, failureReason(failure), stacks.capture());
    }

    /** The I/O hot path: one table lookup and two field stores. */
    void read(Object socket, int n) {
        ConnectionRecord record = connections.get(socket);
        if (record != null) {
            record.read(Clock.nanos(), n);
        }
    }

    void readFailed(Object socket, long startNanos, Throwable failure, int soTimeoutMillis) {
        ConnectionRecord record = connections.get(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (failure instanceof SocketTimeoutException) {
            record.timedOut(now, soTimeoutMillis, now - startNanos);
        } else {
            ioFailed(record, now, failure);
        }
    }

    /** The I/O hot path: one table lookup and two field stores. */
    void written(Object socket, int n) {
        ConnectionRecord record = connections.get(socket);
        if (record != null) {
            record.written(Clock.nanos(), n);
        }
    }

    void writeFailed(Object socket, Throwable failure) {
        ConnectionRecord record = connections.get(socket);
        if (record != null) {
            ioFailed(record, Clock.nanos(), failure);
        }
    }

    private static void ioFailed(ConnectionRecord record, long now, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        boolean reset = failure instanceof SocketException
                && (message.contains("reset") || message.contains("Broken pipe"));
        record.failed(now, reset ? CloseCause.RESET : CloseCause.IO_ERROR, failure.getClass().getName() + ": " + message);
    }

    /** Called at the start of every close; only the first close of a tracked connection is recorded. */
    void closing(Object socket) {
        ConnectionRecord record = connections.remove(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        int stackId = stacks.capture();
        fold(record, record.cause(), now, Thread.currentThread().getName(), stackId);
        foldCollected();
    }

    private void fold(ConnectionRecord record, CloseCause cause, long closedNanos, String thread, int stackId) {
        Cycle cycle = new Cycle(record, cause, closedNanos, thread, stackId);
        aggregate(record.endpoint).closed(record, cycle, closedNanos, record.causeNanos(cause));
    }

    /** Connections whose socket was garbage collected without a close: a leak, folded when noticed. */
    private void foldCollected() {
        for (ConnectionRecord record : connections.pollCollected()) {
            fold(record, CloseCause.COLLECTED, Clock.nanos(), null, StackTable.NO_STACK);
        }
    }

    private EndpointAggregate aggregate(Endpoint endpoint) {
        EndpointAggregate aggregate = endpoints.get(endpoint);
        if (aggregate != null) {
            return aggregate;
        }
        if (endpoints.size() >= settings.maxEndpoints()) {
            lumpedConnections.increment();
            return otherEndpoints;
        }
        EndpointAggregate created = new EndpointAggregate(endpoint, settings.cycles(), settings.reconnectWindowNanos());
        EndpointAggregate prior = endpoints.putIfAbsent(endpoint, created);
        return prior != null ? prior : created;
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
        if (type.equals("UnknownHostException")) {
            return "unknown host";
        }
        return message == null ? type : type + ": " + message;
    }

    void failed(Throwable error) {
        errors.increment();
        lastError = error.toString();
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
        snapshots.sort(Comparator.comparing(s -> s.endpoint().key()));
        return new RecordingSnapshot(startMicros, Clock.epochMicros(Clock.nanos()), settings, snapshots,
                stacks.stacks(), stacks.dropped(), untrackedConnections.sum(), lumpedConnections.sum(),
                errors.sum(), lastError);
    }
}
