package io.socktrace.agent.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One recording: turns socket events into per-connection records and per-endpoint aggregates, and owns everything
 * it fills (the connection table, the endpoints, the stacks, its listeners), so that starting, resetting and
 * stopping a recording swaps one unit whole. Thread-safe; connect, accept and close take one endpoint lock,
 * reads and writes take none. Every method is called by {@link SocketEvents}, which contains its failures.
 *
 * <p>A connection is identified by the object that carries its I/O ({@code NioSocketImpl},
 * {@code SocketChannelImpl}, the asynchronous channel), so that the layers wrapping it (a {@code Socket}, an
 * {@code SSLSocket}, a channel's socket adaptor) are one connection. A connection open before recording started
 * is taken in when it is first used (read, write, timeout, end of stream, error, close): see {@link #seen}.
 */
public final class Recorder {

    private final RecorderSettings settings;
    private final ConnectionTable<ConnectionRecord> connections;
    private final ConnectionTable<PendingConnect> pending;
    /** Connects asked for on one thread and made on another (Netty's event loop): who asked, by socket. */
    private final ConnectionTable<PendingConnect> asked;
    /**
     * The address each listening socket is bound to, read on its first accept: a server socket cannot be bound
     * again, so later accepts skip the {@code getsockname} and its two objects.
     */
    private final ConnectionTable<InetSocketAddress> listenerAddresses;
    private final EndpointRegistry endpoints;
    private final StackCapture stacks;
    private final EventBus bus = new EventBus();
    private final ListeningSockets listening;
    private final DescriptorsAtStart descriptorsAtStart;
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder untrackedConnections = new LongAdder();
    private final LongAdder untrackedCloses = new LongAdder();
    /**
     * Set once a connection could not be tracked: from then on a connection not in the table may be one opened
     * since, so none is taken in as open since before recording (its close is counted as untracked instead).
     */
    private volatile boolean overflowed;
    private final long startMicros = Clock.epochMicros(Clock.nanos());
    /** {@code trigger=...}, or {@code null}; set once, before the recording is started. */
    private volatile ReportTrigger trigger;

    /** A recording that starts with the JVM, before any connection can be open. */
    public Recorder(RecorderSettings settings) {
        this(settings, ListeningSockets.atStartUp(), DescriptorsAtStart.none(), false);
    }

    private Recorder(RecorderSettings settings, ListeningSockets listening, DescriptorsAtStart descriptorsAtStart,
                     boolean lingerMaybeSet) {
        this.lingerMaybeSet = lingerMaybeSet;
        this.settings = settings;
        this.connections = new ConnectionTable<>(settings.maxConnections());
        this.pending = new ConnectionTable<>(settings.maxConnections());
        this.asked = new ConnectionTable<>(settings.maxConnections(), 16); // Netty connects asked for on one thread
        this.listenerAddresses = new ConnectionTable<>(ListeningSockets.MAX_LISTENERS, 16);
        this.endpoints = new EndpointRegistry(settings);
        this.stacks = new StackCapture(settings);
        this.listening = listening;
        this.descriptorsAtStart = descriptorsAtStart;
    }

    /**
     * A recording that starts in a running JVM (attach, reset), where connections may be open already: reads this
     * process's sockets now, to tell which of those were accepted, and to know Netty's native ones by descriptor.
     */
    public static Recorder whileRunning(RecorderSettings settings) {
        List<ProcNet.Row> sockets;
        try {
            sockets = ProcNet.sockets();
        } catch (IOException | RuntimeException unreadable) {
            AgentHealth.unavailable("/proc (this process's sockets)", "whether a connection open before recording "
                    + "was accepted or made by this JVM is unknown (such connections are grouped as made), and Netty "
                    + "native connections open before recording are not taken in", unreadable);
            sockets = null;
        }
        return new Recorder(settings, ListeningSockets.of(sockets), DescriptorsAtStart.of(sockets), true);
    }

    public RecorderSettings settings() {
        return settings;
    }

    /** Adds a listener for this recording's connection events. */
    public void addListener(ConnectionListener listener) {
        bus.add(listener);
    }

    /** Counts this recording's events against the session's report trigger. */
    public void setTrigger(ReportTrigger trigger) {
        this.trigger = trigger;
    }

    /** The listeners added so far. */
    public java.util.List<ConnectionListener> listeners() {
        return bus.listeners();
    }

    private void publish(ConnectionEvent.Kind kind, long nanos, ConnectionRecord record, int stackId,
                         long durationNanos, int timeoutMillis, String detail, boolean requestInFlight) {
        bus.publish(new ConnectionEvent(kind, Clock.epochMicros(nanos), record.endpoint.key(),
                record.endpoint.accepted(), record.transport.apiName(), record.localPort,
                record.peerAddress == null ? null
                        : Endpoint.of(new InetSocketAddress(record.peerAddress, record.peerPort)).key(),
                threadName(), stacks.stack(stackId),
                durationNanos < 0 ? -1 : durationNanos / 1_000, timeoutMillis, detail, requestInFlight,
                record.localAddress == null ? null : record.localAddress.getHostAddress(),
                record.endpoint.hostName()));
    }

    /**
     * A connection was asked for on this thread, to be made on another (a Netty channel is created where
     * {@code Bootstrap.connect} is called and connects on its event loop): the connect is attributed to this stack
     * and thread, the code that asked, not to the event loop's.
     */
    void connectAsked(Object socket) {
        if (asked.get(socket) == null) {
            asked.add(socket, new PendingConnect(null, null, 0, stacks.capture(), threadName()));
        }
    }

    /** Who asked for this connect on another thread, if anyone did (only Netty's channels are asked for so). */
    private PendingConnect askedBy(Object socket, Transport transport) {
        return transport == Transport.NETTY_EPOLL || transport == Transport.NETTY_IO_URING ? asked.remove(socket) : null;
    }

    /** This stack, within {@code endpoint}'s share of the stack budget and the recording's. */
    private int capture(Endpoint endpoint) {
        return capture(endpoints.aggregate(endpoint));
    }

    /** This stack, within the share of the stack budget of the endpoint counted in {@code aggregate}. */
    private int capture(EndpointAggregate aggregate) {
        return stacks.capture(aggregate.stackBudget);
    }

    /**
     * Whether a JDK connection may have {@code SO_LINGER} set, so that its close must ask it ({@link Linger}, a
     * {@code getsockopt} per close): once one was set since the JVM started; always in a running JVM, where it may
     * have been set before the recording.
     */
    private volatile boolean lingerMaybeSet;

    /** {@code SO_LINGER} was set on a JDK connection: from now on every close asks whether it is abortive. */
    void lingerSet() {
        if (!lingerMaybeSet) {
            lingerMaybeSet = true;
        }
    }

    /** A connect made by this JVM succeeded. */
    void connected(Object socket, Transport transport, InetSocketAddress remote, InetAddress local, int localPort,
                   long startNanos) {
        PendingConnect askedBy = askedBy(socket, transport);
        Endpoint endpoint = endpoints.endpoint(remote, false);
        EndpointAggregate aggregate = endpoints.opening(endpoint);
        opened(socket, transport, endpoint, aggregate, null, local, localPort, startNanos,
                askedBy != null ? askedBy.stackId : capture(aggregate),
                askedBy != null ? askedBy.thread : threadName());
    }

    /**
     * A non-blocking or asynchronous connect started; {@link #connectFinished} or a failure follows. {@code local}
     * is the address already bound, if known, for completions that do not tell it (Netty's).
     */
    void connectPending(Object socket, Transport transport, InetSocketAddress remote, long startNanos,
                        InetSocketAddress local) {
        PendingConnect askedBy = askedBy(socket, transport);
        PendingConnect connect = new PendingConnect(transport, remote, startNanos,
                askedBy != null ? askedBy.stackId : capture(endpoints.endpoint(remote, false)),
                askedBy != null ? askedBy.thread : threadName());
        connect.local = local;
        if (!pending.add(socket, connect)) {
            untracked();
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
            if (local == null && connect.local != null) {
                local = connect.local.getAddress();
                localPort = connect.local.getPort();
            }
            Endpoint endpoint = endpoints.endpoint(connect.remote, false);
            opened(socket, connect.transport, endpoint, endpoints.opening(endpoint), null, local, localPort,
                    connect.startNanos, connect.stackId, connect.thread);
        }
    }

    /** Whether a connect of {@code socket} is pending. */
    boolean connecting(Object socket) {
        return pending.get(socket) != null;
    }

    /** A pending connect failed (in {@code finishConnect}, or its channel was closed first). */
    void connectPendingFailed(Object socket, Throwable failure) {
        connectPendingFailed(socket, FailureClassifier.connectFailure(failure));
    }

    private void connectPendingFailed(Object socket, String reason) {
        PendingConnect connect = pending.remove(socket);
        if (connect != null) {
            connectFailed(endpoints.endpoint(connect.remote, false), connect.transport, connect.startNanos, reason,
                    connect.stackId);
        }
    }

    void connectFailed(Object socket, InetSocketAddress remote, Transport transport, long startNanos,
                       Throwable failure) {
        PendingConnect askedBy = askedBy(socket, transport);
        Endpoint endpoint = endpoints.endpoint(remote, false);
        connectFailed(endpoint, transport, startNanos, FailureClassifier.connectFailure(failure),
                askedBy != null ? askedBy.stackId : capture(endpoint));
    }

    private void connectFailed(Endpoint endpoint, Transport transport, long startNanos, String reason, int stackId) {
        EndpointAggregate aggregate = endpoints.opening(endpoint);
        aggregate.connectFailed(startNanos, reason, stackId);
        ReportTrigger counting = trigger;
        if (counting != null) {
            counting.count(ReportTrigger.Kind.FAILED_CONNECTS, aggregate, startNanos);
        }
        if (bus.wants(ConnectionEvent.Kind.CONNECT_FAILED)) {
            long now = Clock.nanos();
            bus.publish(new ConnectionEvent(ConnectionEvent.Kind.CONNECT_FAILED, Clock.epochMicros(now), endpoint.key(),
                    false, transport.apiName(), 0, null, threadName(), stacks.stack(stackId),
                    (now - startNanos) / 1_000, 0, reason, false, null, endpoint.hostName()));
        }
    }

    /** The address {@code server} (a listening socket implementation) is bound to, if read before. */
    InetSocketAddress listenerAddress(Object server) {
        return listenerAddresses.get(server);
    }

    /** Keeps the address {@code server} was found bound to (when there is room); returns it. */
    InetSocketAddress listenerAddress(Object server, InetSocketAddress bound) {
        listenerAddresses.add(server, bound);
        return bound;
    }

    /**
     * A server socket of this JVM accepted a connection; grouped under the listening address. It opened when the
     * accept returned: how long the accept waited for a client says nothing about the connection.
     */
    void accepted(Object socket, Transport transport, InetSocketAddress listener, InetSocketAddress peer) {
        listening.add(listener);
        Endpoint endpoint = endpoints.endpoint(listener, true);
        EndpointAggregate aggregate = endpoints.opening(endpoint);
        opened(socket, transport, endpoint, aggregate, peer, listener.getAddress(), listener.getPort(), Clock.nanos(),
                capture(aggregate), threadName());
    }

    /** {@code aggregate} is {@link EndpointRegistry#opening}'s for {@code endpoint}. */
    private void opened(Object socket, Transport transport, Endpoint endpoint, EndpointAggregate aggregate,
                        InetSocketAddress peer, InetAddress local, int localPort, long startNanos, int stackId,
                        String thread) {
        Faults.check(Faults.Fault.RECORD);
        foldCollected();
        ConnectionRecord record = new ConnectionRecord(connectionIds.incrementAndGet(), transport, endpoint, aggregate,
                peer, endpoints.address(local), localPort, startNanos, Clock.nanos(), stackId, thread);
        if (!connections.add(socket, record)) {
            untracked();
        }
        aggregate.opened(record);
        ReportTrigger counting = trigger;
        if (counting != null && record.reconnectGapNanos >= 0) {
            counting.count(ReportTrigger.Kind.RECONNECTS, aggregate, record.connectedNanos);
        }
        ConnectionEvent.Kind kind = peer == null ? ConnectionEvent.Kind.CONNECT : ConnectionEvent.Kind.ACCEPT;
        if (bus.wants(kind)) {
            publish(kind, record.connectedNanos, record, stackId, record.connectedNanos - startNanos, 0, null, false);
        }
    }

    private void untracked() {
        overflowed = true;
        untrackedConnections.increment();
    }

    /**
     * The record of a connection in use: tracked already, or open since before recording and taken in now, with
     * its addresses read from the connection object; {@code null} if it is not an open TCP connection, or if the
     * table is or was full (which costs a socket that stays untracked one read, no allocation).
     */
    private ConnectionRecord seen(Object socket) {
        return seen(socket, 0);
    }

    /** The same, for I/O that started at {@code startNanos} (if positive): a connection taken in was in use then. */
    private ConnectionRecord seen(Object socket, long startNanos) {
        ConnectionRecord record = connections.get(socket);
        if (record != null || overflowed || connections.full()) {
            return record;
        }
        OpenConnection open = JdkInternals.openConnection(socket);
        if (open == null) {
            open = NettyChannels.openConnection(socket, descriptorsAtStart);
        }
        return open == null ? null : takeIn(socket, open, startNanos > 0 ? startNanos : Clock.nanos());
    }

    private ConnectionRecord takeIn(Object socket, OpenConnection open, long seenNanos) {
        InetSocketAddress listener = listening.listenerOf(open.localAddress, open.localPort);
        Endpoint endpoint = listener != null ? endpoints.endpoint(listener, true)
                : endpoints.endpoint(open.remote, false);
        EndpointAggregate aggregate = endpoints.aggregate(endpoint);
        ConnectionRecord fresh = ConnectionRecord.openedBefore(connectionIds.incrementAndGet(), open.transport,
                endpoint, aggregate, listener != null ? open.remote : null, endpoints.address(open.localAddress),
                open.localPort, seenNanos);
        ConnectionRecord record = connections.addIfAbsent(socket, fresh);
        if (record == fresh) {
            endpoints.opening(endpoint).seenOpen(record);
            if (bus.wants(ConnectionEvent.Kind.OPENED_BEFORE)) {
                publish(ConnectionEvent.Kind.OPENED_BEFORE, record.connectedNanos, record, StackTable.NO_STACK, -1, 0,
                        null, false);
            }
        }
        return record; // another thread's, if it took the connection in first; null if the table filled meanwhile
    }

    /** An {@code SSLSocket} completed a handshake over {@code layer} (any layer of the connection). */
    void tls(Object layer) {
        Object socket = JdkInternals.connectionOf(layer);
        ConnectionRecord record = socket == null ? null : seen(socket);
        if (record != null && !record.tls) {
            long now = Clock.nanos();
            record.handshakeCompleted(now);
            record.tls = true;
            if (bus.wants(ConnectionEvent.Kind.TLS)) {
                publish(ConnectionEvent.Kind.TLS, now, record, StackTable.NO_STACK, 0, 0, null, false);
            }
        }
    }

    /** An {@code SSLSocket} over {@code layer} starts closing (and will write close_notify). */
    void tlsClosing(Object layer) {
        Object socket = JdkInternals.connectionOf(layer);
        ConnectionRecord record = socket == null ? null : seen(socket);
        if (record != null) {
            record.layerClosing();
        }
    }

    /**
     * The I/O hot path: one table lookup and two field stores. A channel's or Netty's read: driven by readiness
     * unless the channel is in blocking mode, when whether it waited is unknown ({@code -1}).
     */
    void read(Object socket, long n) {
        read(socket, n < 0 ? readiness(socket) : 0, n);
    }

    /** 0 for a read driven by readiness; -1 for a channel in blocking mode, whose read may not have waited. */
    private static long readiness(Object socket) {
        return socket instanceof java.nio.channels.SelectableChannel
                && ((java.nio.channels.SelectableChannel) socket).isBlocking() ? -1 : 0;
    }

    /**
     * The I/O hot path, for a read that may have blocked since {@code startNanos} (0 if driven by readiness, so
     * that whatever it returns is what just came; -1 if unknown).
     */
    void read(Object socket, long startNanos, long n) {
        ConnectionRecord record = seen(socket, startNanos);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (record.read(now, n)) {
            endOfStream(record, now, startNanos);
        }
    }

    /**
     * The first end of stream of a connection (once per connection, not the hot path): who read it, for CLOSE_WAIT
     * leaks, and the peer's close, for its idle timeout.
     */
    private void endOfStream(ConnectionRecord record, long now, long startNanos) {
        record.eofThread = threadName();
        int stackId = stacks.captureSecondary(record.aggregate.secondaryStackBudget);
        record.eofStackId = stackId;
        peerClosed(record, now, startNanos, stackId);
        if (bus.wants(ConnectionEvent.Kind.END_OF_STREAM)) {
            publish(ConnectionEvent.Kind.END_OF_STREAM, now, record, StackTable.NO_STACK, 0, 0, null, false);
        }
    }

    /** A blocking read that waited at least this long was already reading when the end of stream or reset came. */
    static final long WAITING_NANOS = 1_000_000L;

    /**
     * The peer closed (end of stream or reset), seen by a read that started at {@code startNanos} (0: readiness
     * driven), or by a write or a read not known to have waited ({@code -1}). Once per connection (end of stream) or
     * per failure, off the data path: may capture a stack, once ({@code stackId}, if this read's was kept
     * already).
     */
    private void peerClosed(ConnectionRecord record, long now, long startNanos, int stackId) {
        record.closeSeenWaiting = startNanos == 0 || (startNanos > 0 && now - startNanos >= WAITING_NANOS);
        if (record.staleStackId == 0 && record.staleReuse()) {
            // a kept stack of this read, else its own
            record.staleStackId = stackId > 0 ? stackId : capture(record.aggregate);
        }
    }

    /**
     * This JVM half-closed a connection ({@code shutdownOutput}: a FIN sent, the connection reads on;
     * {@code shutdownInput}); the first of each direction counts.
     */
    void shutdown(Object socket, boolean output) {
        ConnectionRecord record = seen(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (record.shutdown(now, output)) {
            record.aggregate.shutdown(output);
            ConnectionEvent.Kind kind = output ? ConnectionEvent.Kind.SHUTDOWN_OUTPUT
                    : ConnectionEvent.Kind.SHUTDOWN_INPUT;
            if (bus.wants(kind)) {
                publish(kind, now, record, capture(record.aggregate), 0, 0, null, record.requestInFlight());
            }
        }
    }

    void readFailed(Object socket, long startNanos, Throwable failure, int soTimeoutMillis) {
        ConnectionRecord record = seen(socket);
        if (record == null) {
            return;
        }
        long now = Clock.nanos();
        if (FailureClassifier.isTimeout(failure)) {
            if (!FailureClassifier.isDeliberateTimeout()) {
                timedOut(record, now, soTimeoutMillis, startNanos == 0 ? 0 : now - startNanos);
            }
        } else {
            ioFailed(record, now, failure);
            peerClosed(record, now, startNanos != 0 ? startNanos : readiness(socket), StackTable.NO_STACK);
        }
    }

    private void timedOut(ConnectionRecord record, long now, int soTimeoutMillis, long blockedNanos) {
        record.timedOut(now, soTimeoutMillis, blockedNanos);
        if (bus.wants(ConnectionEvent.Kind.READ_TIMEOUT)) {
            publish(ConnectionEvent.Kind.READ_TIMEOUT, now, record, StackTable.NO_STACK, blockedNanos, soTimeoutMillis,
                    null, record.requestInFlight());
        }
    }

    /** An asynchronous read was initiated; its timeout is what a later timeout will report. */
    void asyncReadStarted(Object channel, long timeoutMillis) {
        ConnectionRecord record = seen(channel);
        if (record != null) {
            record.asyncReadStarted(Clock.nanos(), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        }
    }

    void asyncReadTimedOut(Object channel) {
        ConnectionRecord record = seen(channel);
        if (record != null) {
            long now = Clock.nanos();
            long started = record.asyncReadStartNanos;
            timedOut(record, now, record.asyncReadTimeoutMillis, started == 0 ? 0 : now - started);
        }
    }

    /** The I/O hot path: one table lookup and two field stores. */
    void written(Object socket, long startNanos, long n) {
        ConnectionRecord record = seen(socket, startNanos);
        if (record != null) {
            record.written(startNanos, n);
        }
    }

    void writeFailed(Object socket, Throwable failure) {
        ConnectionRecord record = seen(socket);
        if (record != null) {
            long now = Clock.nanos();
            ioFailed(record, now, failure);
            peerClosed(record, now, -1, StackTable.NO_STACK);
        }
    }

    /**
     * A read or write completed with {@code -errno} (io_uring's completions carry no exception): the same cause
     * as Netty's {@code Errors$NativeIoException} for that errno would give, decided by the same words.
     */
    void nativeIoFailed(Object socket, String operation, int errno) {
        ConnectionRecord record = seen(socket);
        if (record != null) {
            String error = FailureClassifier.describe(operation, errno);
            long now = Clock.nanos();
            failed(record, now, FailureClassifier.ioFailure(error), error);
            peerClosed(record, now, 0, StackTable.NO_STACK); // a completion: what just came
        }
    }

    private void ioFailed(ConnectionRecord record, long now, Throwable failure) {
        failed(record, now, FailureClassifier.ioFailure(failure), FailureClassifier.describe(failure));
    }

    private void failed(ConnectionRecord record, long now, CloseCause cause, String error) {
        record.failed(now, cause, error);
        if (bus.wants(ConnectionEvent.Kind.ERROR)) {
            publish(ConnectionEvent.Kind.ERROR, now, record, StackTable.NO_STACK, 0, 0, error, false);
        }
    }

    /** Called at the start of every close; only the first close of a connection is recorded. */
    void closing(Object socket) {
        Faults.check(Faults.Fault.RECORD);
        ConnectionRecord record = connections.remove(socket);
        if (record == null) {
            PendingConnect connect = pending.get(socket);
            if (connect != null) {
                closingPending(socket, connect);
                return;
            }
            record = closingUnseen(socket);
            if (record == null) {
                return;
            }
        }
        long now = Clock.nanos();
        int stackId = capture(record.aggregate);
        record.resetSent = lingerMaybeSet && Linger.zero(socket);
        fold(record, record.cause(), now, threadName(), stackId);
        foldCollected();
    }

    private void closingPending(Object socket, PendingConnect connect) {
        if (connect.transport == Transport.ASYNC_CHANNEL) {
            // an asynchronous connect that fails closes its channel before completing the future or handler,
            // which is the only place its reason goes
            connectPendingFailed(socket, "failed (the completion handler gets the reason)");
        } else if (connect.finishing != Thread.currentThread()) {
            connectPendingFailed(socket, "closed while connecting"); // the application gave up on it
        }
    }

    /** The first close of a connection never seen in use: open since before recording, unless it never connected. */
    private ConnectionRecord closingUnseen(Object socket) {
        if (overflowed || connections.full()) {
            OpenConnection open = JdkInternals.openConnection(socket);
            if (open != null) {
                untrackedCloses.increment();
            }
            return null;
        }
        ConnectionRecord record = seen(socket);
        return record == null ? null : connections.remove(socket);
    }

    /**
     * A close returned. A read that failed because of this close may have taken the connection in again while it
     * was closing (it still looked open); that record is no connection and is dropped.
     */
    void closed(Object socket) {
        connections.remove(socket);
    }

    private void fold(ConnectionRecord record, CloseCause cause, long closedNanos, String thread, int stackId) {
        Cycle cycle = new Cycle(record, cause, closedNanos, thread, stackId);
        record.aggregate.closed(record, cycle, closedNanos, record.causeNanos(cause),
                record.inCloseWait(closedNanos, settings.closeWaitNanos()));
        if (record.resetSent && bus.wants(ConnectionEvent.Kind.RESET_SENT)) {
            publish(ConnectionEvent.Kind.RESET_SENT, closedNanos, record, stackId, 0, 0, "SO_LINGER 0",
                    cycle.requestInFlight());
        }
        if (bus.wants(ConnectionEvent.Kind.CLOSE)) {
            publish(ConnectionEvent.Kind.CLOSE, closedNanos, record, stackId,
                    record.openedBeforeRecording ? -1 : closedNanos - record.connectStartNanos, 0, cause.name(),
                    cycle.requestInFlight());
        }
    }

    /** Connections whose socket was garbage collected without a close: a leak, folded when noticed. */
    private void foldCollected() {
        List<ConnectionRecord> collected = connections.pollCollected();
        for (int i = 0; i < collected.size(); i++) { // indexed: an iterator of the usual empty list is an allocation
            fold(collected.get(i), CloseCause.COLLECTED, Clock.nanos(), null, StackTable.NO_STACK);
        }
        pending.pollCollected();
        asked.pollCollected();
    }

    private static String threadName() {
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.getId() : name; // virtual threads are usually unnamed
    }

    /** Counts a failure inside the agent; it is reported, never thrown into the application. */
    public void failed(Throwable error) {
        AgentHealth.failed("recording", error);
    }

    /**
     * Each endpoint's counters (opened, closed, open, reconnects...), without what only a report shows (counts by
     * key, samples, cycles, stacks): what a scrape such as JMX reads, holding each endpoint's lock only to copy a
     * few longs. Recording carries on.
     */
    public List<EndpointSnapshot> counters() {
        foldCollected();
        return endpoints.counters(connections.openRecords());
    }

    /** A consistent copy of everything recorded so far; recording carries on. */
    public RecordingSnapshot snapshot() {
        foldCollected();
        StackTable table = stacks.table();
        return new RecordingSnapshot(startMicros, Clock.epochMicros(Clock.nanos()), settings,
                endpoints.snapshots(connections.openRecords()), table.stacks(), table.dropped(), stacks.notSampled(),
                untrackedConnections.sum(), untrackedCloses.sum(), endpoints.lumped(), bus.dropped(),
                listening.known(), AgentHealth.failures(), AgentHealth.lastFailure(), AgentHealth.failuresByPlace(),
                AgentHealth.unavailable(), trigger == null ? null : trigger.counts());
    }
}
