package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recorder driven directly, with plain objects standing in for socket implementations. */
class RecorderTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 11211);
    private static final InetSocketAddress OTHER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379);

    private static Recorder recorder(long reconnectWindowNanos) {
        return new Recorder(new RecorderSettings(16, 8, 64, 32, 3, reconnectWindowNanos));
    }

    private static Object connect(Recorder r, InetSocketAddress to, int localPort) {
        Object socket = new Object();
        r.connected(socket, Transport.SOCKET, to, InetAddress.getLoopbackAddress(), localPort, Clock.nanos());
        return socket;
    }

    private static EndpointSnapshot only(Recorder r) {
        List<EndpointSnapshot> endpoints = r.snapshot().endpoints();
        assertEquals(1, endpoints.size());
        return endpoints.get(0);
    }

    @Test
    void countersAreTheSnapshotsCountersWithoutTheDetail() {
        Recorder r = recorder(5_000_000_000L);
        Object first = connect(r, SERVER, 40000);
        r.closing(first);
        connect(r, SERVER, 40001); // a reconnect, left open
        connect(r, new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379), 40002);
        r.connectFailed(new Object(), SERVER, Transport.SOCKET, Clock.nanos(), new ConnectException("Connection refused"));

        List<EndpointSnapshot> full = r.snapshot().endpoints();
        List<EndpointSnapshot> counters = r.counters();
        assertEquals(full.size(), counters.size());
        for (int i = 0; i < full.size(); i++) {
            EndpointSnapshot f = full.get(i);
            EndpointSnapshot c = counters.get(i);
            assertEquals(List.of(f.endpoint(), f.opened(), f.openedBefore(), f.closed(), f.open(), f.reconnects(),
                    f.failedConnects(), f.requestInFlightCloses(), f.tlsCloses(), f.firstMicros(), f.lastMicros(),
                    f.cyclesDropped()), List.of(c.endpoint(), c.opened(), c.openedBefore(), c.closed(), c.open(),
                    c.reconnects(), c.failedConnects(), c.requestInFlightCloses(), c.tlsCloses(), c.firstMicros(),
                    c.lastMicros(), c.cyclesDropped()));
            assertEquals(0, c.cycles().length + c.lifetimes().length + c.closeStacks().size());
        }
        assertEquals(List.of(2L, 1, 1L, 1L), List.of(full.get(0).opened(), full.get(0).open(),
                full.get(0).reconnects(), full.get(0).failedConnects()), full.get(0).endpoint().toString());
    }

    @Test
    void closesWaitingForAReconnectOutliveTheirCyclesAndStillPair() {
        Recorder r = recorder(5_000_000_000L); // 3 cycles kept
        Object[] sockets = new Object[5];
        for (int i = 0; i < 5; i++) {
            sockets[i] = connect(r, SERVER, 40000 + i);
        }
        for (Object socket : sockets) {
            r.closing(socket); // the first two cycles are dropped, their closes still wait for a reconnect
        }
        for (int i = 0; i < 3; i++) {
            connect(r, SERVER, 40010 + i); // pairs with the closes in order: two dropped cycles, then a kept one
        }
        EndpointSnapshot e = only(r);
        assertEquals(3, e.reconnects());
        assertEquals(List.of(40002, 40003, 40004), e.cycleList().stream().map(Cycle::localPort).toList());
        assertTrue(e.cycles()[0].reopenedGapMicros() >= 0, "the kept cycle that was replaced has its gap");
        assertEquals(-1, e.cycles()[1].reopenedGapMicros());
        assertEquals(-1, e.cycles()[2].reopenedGapMicros());
    }

    @Test
    void recentValuesGrowToTheirCapacityHoldingWhatAFullSizeRingWould() {
        for (int n : new int[] {0, 1, 4, 5, 1023, 1024, 1025, 5000}) {
            RecentValues grown = new RecentValues(1024);
            long[] ring = new long[1024];
            for (int i = 0; i < n; i++) {
                grown.add(i * 7L);
                ring[i % 1024] = i * 7L;
            }
            assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(ring, Math.min(n, 1024))),
                    java.util.Arrays.toString(grown.toArray()), "after " + n);
        }
    }

    @Test
    void timeoutThenCloseIsAReadTimeoutCloseWithTheRequestInFlight() {
        Recorder r = recorder(5_000_000_000L);
        Object socket = connect(r, SERVER, 40000);
        r.written(socket, Clock.nanos(), 120);
        long start = Clock.nanos();
        r.readFailed(socket, start - 1_000_000_000L, new SocketTimeoutException("Read timed out"), 1000);
        r.closing(socket);
        r.closing(socket); // the stream's close, then the socket's: one close

        EndpointSnapshot e = only(r);
        assertEquals(1, e.opened());
        assertEquals(1, e.closed());
        assertEquals(1, e.closes(CloseCause.READ_TIMEOUT));
        assertEquals(1, e.requestInFlightCloses());
        assertEquals(Long.valueOf(1), e.timeoutSettings().get(1000));
        Cycle cycle = e.cycles()[0];
        assertEquals(40000, cycle.localPort());
        assertEquals(CloseCause.READ_TIMEOUT, cycle.cause());
        assertEquals(1000, cycle.timeoutMillis());
        assertTrue(cycle.timeoutBlockedMicros() >= 1_000_000, "blocked " + cycle.timeoutBlockedMicros());
        assertTrue(cycle.requestInFlight());
        assertEquals(120, cycle.bytesWritten());
        assertTrue(cycle.closedMicros() >= cycle.causeMicros() && cycle.causeMicros() >= cycle.openedMicros());
    }

    @Test
    void dataReadAfterATimeoutMeansTheTimeoutIsNotTheCause() {
        Recorder r = recorder(5_000_000_000L);
        Object socket = connect(r, SERVER, 40000);
        r.written(socket, Clock.nanos(), 10);
        r.readFailed(socket, Clock.nanos(), new SocketTimeoutException("Read timed out"), 1);
        r.read(socket, 10);
        r.closing(socket);
        EndpointSnapshot e = only(r);
        assertEquals(1, e.closes(CloseCause.NO_ERROR));
        assertEquals(0, e.requestInFlightCloses());
    }

    @Test
    void endOfStreamAndResetAreTheirOwnCauses() {
        Recorder r = recorder(5_000_000_000L);
        Object eof = connect(r, SERVER, 40000);
        r.read(eof, 5);
        r.read(eof, -1);
        r.closing(eof);
        Object reset = connect(r, SERVER, 40001);
        r.written(reset, Clock.nanos(), 5);
        r.readFailed(reset, Clock.nanos(), new SocketException("Connection reset"), 0);
        r.closing(reset);
        Object pipe = connect(r, SERVER, 40002);
        r.writeFailed(pipe, new SocketException("Broken pipe"));
        r.closing(pipe);

        EndpointSnapshot e = only(r);
        assertEquals(1, e.closes(CloseCause.END_OF_STREAM));
        assertEquals(2, e.closes(CloseCause.RESET));
        assertEquals("java.net.SocketException: Connection reset", e.cycles()[1].errorMessage());
        assertFalse(CloseCause.END_OF_STREAM.closedByThisJvm());
    }

    @Test
    void errnoCompletionsEndConnectionsWithTheCausesTheirExceptionsWouldGive() {
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 4, 5_000_000_000L)); // keeps all 4 cycles
        Object reset = connect(r, SERVER, 40000);
        r.written(reset, Clock.nanos(), 5);
        r.nativeIoFailed(reset, "io_uring read", 104); // ECONNRESET
        r.closing(reset);
        Object pipe = connect(r, SERVER, 40001);
        r.nativeIoFailed(pipe, "io_uring write", 32); // EPIPE
        r.closing(pipe);
        Object timedOut = connect(r, SERVER, 40002);
        r.nativeIoFailed(timedOut, "io_uring read", 110); // ETIMEDOUT (keepalive): an I/O error, as epoll's
        r.closing(timedOut);
        Object unknown = connect(r, SERVER, 40003);
        r.nativeIoFailed(unknown, "io_uring read", 999);
        r.closing(unknown);

        EndpointSnapshot e = only(r);
        assertEquals(2, e.closes(CloseCause.RESET));
        assertEquals(2, e.closes(CloseCause.IO_ERROR));
        Map<String, Cycle> byError = new HashMap<>();
        for (Cycle cycle : e.cycles()) {
            byError.put(cycle.errorMessage(), cycle);
        }
        assertEquals(Set.of("io_uring read(..) failed: Connection reset by peer (errno 104)",
                "io_uring write(..) failed: Broken pipe (errno 32)",
                "io_uring read(..) failed: Connection timed out (errno 110)",
                "io_uring read(..) failed: errno 999"), byError.keySet());
        assertTrue(byError.get("io_uring read(..) failed: Connection reset by peer (errno 104)").requestInFlight());
    }

    @Test
    void aConnectSoonAfterACloseIsAReconnectWithItsGap() {
        Recorder r = recorder(5_000_000_000L);
        Object first = connect(r, SERVER, 40000);
        r.closing(first);
        Object second = connect(r, SERVER, 40001);
        r.closing(second);
        connect(r, OTHER, 40002); // another endpoint: not a reconnect of this one

        List<EndpointSnapshot> endpoints = r.snapshot().endpoints();
        EndpointSnapshot server = endpoints.stream().filter(e -> e.endpoint().port() == 11211).findFirst().get();
        assertEquals(2, server.opened());
        assertEquals(1, server.reconnects());
        assertEquals(1, server.reconnectGaps().length);
        assertTrue(server.cycles()[0].reopenedGapMicros() >= 0);
        assertEquals(-1, server.cycles()[1].reopenedGapMicros());
        assertEquals(1, server.reconnectStacks().values().stream().mapToLong(Long::longValue).sum());
        EndpointSnapshot other = endpoints.stream().filter(e -> e.endpoint().port() == 6379).findFirst().get();
        assertEquals(0, other.reconnects());
        assertEquals(1, other.open());
    }

    @Test
    void aConnectAfterTheWindowIsNotAReconnect() {
        Recorder r = recorder(0);
        r.closing(connect(r, SERVER, 40000));
        connect(r, SERVER, 40001);
        assertEquals(0, only(r).reconnects());
    }

    @Test
    void aReconnectExactlyAtTheWindowEdgePairsAndAConnectStampedBeforeTheCloseHasGapZero() {
        Recorder r = recorder(1_000_000_000L);
        Object first = new Object();
        long t0 = Clock.nanos();
        r.connected(first, Transport.SOCKET, SERVER, null, 40000, t0);
        r.closing(first);
        long closedAt = Clock.nanos();
        // a connect that started on another thread before the close was recorded: the gap is clamped to 0
        r.connected(new Object(), Transport.SOCKET, SERVER, null, 40001, closedAt - 5_000_000);
        EndpointSnapshot e = only(r);
        assertEquals(1, e.reconnects());
        assertEquals(0, e.reconnectGaps()[0]);
    }

    @Test
    void interleavedThreadsAreCountedExactly() throws Exception {
        Recorder r = new Recorder(new RecorderSettings(100_000, 8, 64, 32, 5, 5_000_000_000L));
        int threads = 8;
        int perThread = 2_000;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    Object socket = connect(r, SERVER, 40000 + i);
                    r.written(socket, Clock.nanos(), 10);
                    if (i % 3 == 0) {
                        r.readFailed(socket, Clock.nanos(), new SocketTimeoutException("Read timed out"), 100);
                    } else {
                        r.read(socket, 10);
                    }
                    r.closing(socket);
                    r.closing(socket);
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        EndpointSnapshot e = only(r);
        long total = (long) threads * perThread;
        long timeouts = (long) threads * ((perThread + 2) / 3);
        assertEquals(total, e.opened());
        assertEquals(total, e.closed());
        assertEquals(0, e.open());
        assertEquals(timeouts, e.closes(CloseCause.READ_TIMEOUT));
        assertEquals(total - timeouts, e.closes(CloseCause.NO_ERROR));
        assertEquals(timeouts, e.requestInFlightCloses());
        // every connect after a close pairs with one, except at most one per thread
        assertTrue(e.reconnects() >= total - threads && e.reconnects() <= total - 1, "reconnects " + e.reconnects());
        assertEquals(0, r.snapshot().agentErrors());
    }

    @Test
    void eventsArePublishedToListenersWithTheirDetail() {
        Recorder r = recorder(5_000_000_000L);
        List<ConnectionEvent> events = new java.util.ArrayList<>();
        r.addListener(events::add);
        Object socket = connect(r, SERVER, 40000);
        r.written(socket, Clock.nanos(), 10);
        r.readFailed(socket, Clock.nanos() - 1_000_000, new SocketTimeoutException("Read timed out"), 250);
        r.closing(socket);
        r.connectFailed(new Object(), OTHER, Transport.SOCKET_CHANNEL, Clock.nanos(), new ConnectException("Connection refused"));
        assertEquals(List.of(ConnectionEvent.Kind.CONNECT, ConnectionEvent.Kind.READ_TIMEOUT,
                ConnectionEvent.Kind.CLOSE, ConnectionEvent.Kind.CONNECT_FAILED),
                events.stream().map(ConnectionEvent::kind).collect(java.util.stream.Collectors.toList()));
        assertEquals(250, events.get(1).timeoutMillis());
        assertTrue(events.get(1).requestInFlight());
        assertEquals("READ_TIMEOUT", events.get(2).detail());
        assertEquals("127.0.0.1:11211", events.get(2).endpoint());
        assertEquals("refused", events.get(3).detail());
        assertEquals("SocketChannel", events.get(3).transport());
    }

    @Test
    void aListenerThatCannotKeepUpIsCountedNotWaitedFor() {
        Recorder r = recorder(5_000_000_000L);
        r.addListener(event -> false);
        r.closing(connect(r, SERVER, 40000));
        assertEquals(2, r.snapshot().eventsDropped());
    }

    @Test
    void failedConnectsAreCountedByReason() {
        Recorder r = recorder(5_000_000_000L);
        r.connectFailed(new Object(), SERVER, Transport.SOCKET, Clock.nanos(), new ConnectException("Connection refused"));
        r.connectFailed(new Object(), SERVER, Transport.SOCKET, Clock.nanos(), new SocketTimeoutException("Connect timed out"));
        EndpointSnapshot e = only(r);
        assertEquals(0, e.opened());
        assertEquals(2, e.failedConnects());
        assertEquals(Long.valueOf(1), e.failuresByReason().get("refused"));
        assertEquals(Long.valueOf(1), e.failuresByReason().get("timed out"));
    }

    @Test
    void capsBoundDetailButCountsStayExact() {
        Recorder r = new Recorder(new RecorderSettings(16, 1, 64, 32, 3, 5_000_000_000L));
        for (int i = 0; i < 20; i++) {
            r.closing(connect(r, SERVER, 40000 + i));
        }
        List<Object> open = new java.util.ArrayList<>(); // reachable: a collected socket would free its slot
        for (int i = 0; i < 20; i++) {
            open.add(connect(r, SERVER, 41000 + i)); // left open: 16 tracked, 4 beyond maxConnections
        }
        open.add(connect(r, OTHER, 42000)); // beyond maxEndpoints=1: lumped with "other" (and beyond maxConnections)
        RecordingSnapshot s = r.snapshot();
        java.lang.ref.Reference.reachabilityFence(open);
        EndpointSnapshot server = s.endpoints().stream().filter(e -> e.endpoint().port() == 11211).findFirst().get();
        assertEquals(40, server.opened());
        assertEquals(20, server.closed());
        assertEquals(3, server.cycles().length);
        assertEquals(17, server.cyclesDropped());
        assertEquals(5, s.untrackedConnections());
        assertEquals(1, s.lumpedConnections());
        assertEquals("other:0", s.endpoints().stream().filter(e -> e.endpoint().port() == 0).findFirst().get()
                .endpoint().key());
    }

    @Test
    void threadsRacingPastTheCapsNeverOvershootThem() throws Exception {
        // each round, 16 threads open a connection each, to 16 different endpoints, at the same instant
        int threads = 16;
        for (int round = 0; round < 500; round++) {
            Recorder r = new Recorder(new RecorderSettings(4, 2, 64, 32, 1, 5_000_000_000L));
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            List<Thread> workers = new java.util.ArrayList<>();
            // the sockets stay reachable: one collected mid-round would free its slot (as it should) for another
            Object[] sockets = new Object[threads];
            for (int t = 0; t < threads; t++) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20000 + t);
                int slot = t;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        return;
                    }
                    sockets[slot] = connect(r, to, 40000); // left open: only 4 are tracked
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join(10_000);
            }
            RecordingSnapshot s = r.snapshot();
            assertEquals(3, s.endpoints().size(), "two endpoints and 'other', round " + round);
            assertEquals(threads - 2, s.lumpedConnections(), "round " + round);
            assertEquals(threads - 4, s.untrackedConnections(), "round " + round);
            assertEquals(4, s.endpoints().stream().mapToLong(EndpointSnapshot::open).sum(), "round " + round);
            java.lang.ref.Reference.reachabilityFence(sockets);
        }
    }

    @Test
    void aboveTheStackRateStacksAreSampledAndCountsStayExact() {
        // stackRate=10/s: 1 a second for one endpoint; 2,000 connections in well under a second
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 3, 5_000_000_000L, 10));
        openAndClose(r, 1_000);
        RecordingSnapshot s = r.snapshot();
        EndpointSnapshot e = s.endpoints().get(0);
        assertEquals(1_000, e.opened());
        assertEquals(1_000, e.closed());
        long sampledCloses = withStack(e.closeStacks());
        long unsampledCloses = e.closeStacks().getOrDefault(StackTable.NOT_SAMPLED, 0L);
        assertEquals(1_000, sampledCloses + unsampledCloses, e.closeStacks().toString());
        assertTrue(sampledCloses <= 2, "captures bounded by the rate: " + e.closeStacks());
        // one connect and one close per connection, each either captured or not sampled
        long captured = captured(s);
        assertEquals(2_000, captured + s.stacksNotSampled());
        assertTrue(captured >= 1 && captured <= 2, "captured " + captured); // one per window, at most 2 windows
    }

    @Test
    void sampledStacksIncludeBothConnectsAndClosesWithinTheRate() {
        // stackRate=100/s (10/s for one endpoint) for 2.2 s of churn: after the first second's window each samples
        // at random, so the regular connect-close pattern cannot alias with it and leave the closes without stacks
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 3, 5_000_000_000L, 100));
        long start = Clock.nanos();
        int n = 0;
        while (Clock.nanos() - start < 2_200_000_000L && n < 20_000_000) {
            r.closing(connect(r, SERVER, 40000 + (n++ & 0x3fff)));
        }
        double seconds = (Clock.nanos() - start) / 1e9;
        RecordingSnapshot s = r.snapshot();
        EndpointSnapshot e = s.endpoints().get(0);
        assertEquals(n, e.opened());
        long captured = captured(s);
        assertEquals(2L * n, captured + s.stacksNotSampled());
        assertTrue(captured <= 10 * (Math.ceil(seconds) + 1), captured + " captures in " + seconds + " s");
        long sampledCloses = withStack(e.closeStacks());
        long sampledReconnects = withStack(e.reconnectStacks());
        assertTrue(sampledCloses > 0 && sampledReconnects > 0, e.closeStacks() + " " + e.reconnectStacks());
    }

    @Test
    void aQuietEndpointKeepsEveryStackBesideAChurningOne() {
        // the recording's rate (1000/s) would let the churning endpoint take nearly every capture; each endpoint's
        // own share (100/s) leaves the quiet one all of its stacks and caps what the churn pays for
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 3, 5_000_000_000L, 1_000));
        long start = Clock.nanos();
        int churned = 0;
        int quiet = 0;
        while (churned < 20_000 && Clock.nanos() - start < 900_000_000L) {
            r.closing(connect(r, SERVER, 40000 + (churned++ & 0x3fff)));
            if (churned % 1_000 == 0) {
                r.closing(connect(r, OTHER, 50000 + quiet++));
            }
        }
        double windows = Math.ceil((Clock.nanos() - start) / 1e9) + 1; // the endpoints' 1 s windows touched
        RecordingSnapshot s = r.snapshot();
        EndpointSnapshot churning = s.endpoints().stream().filter(e -> e.endpoint().port() == 11211).findFirst()
                .orElseThrow();
        EndpointSnapshot calm = s.endpoints().stream().filter(e -> e.endpoint().port() == 6379).findFirst()
                .orElseThrow();
        assertEquals(churned, churning.opened());
        assertEquals(quiet, calm.closed());
        assertTrue(quiet > 0);
        assertEquals(quiet, withStack(calm.closeStacks()), calm.closeStacks().toString());
        assertEquals(quiet - 1, withStack(calm.reconnectStacks()), calm.reconnectStacks().toString());
        long churnCaptures = withStack(churning.closeStacks()) + withStack(churning.reconnectStacks());
        assertTrue(churnCaptures > 0 && churnCaptures <= 100 * windows, churnCaptures + " captures");
        assertEquals(2L * (churned + quiet), captured(s) + s.stacksNotSampled(), "each captured or counted");
    }

    @Test
    void everyStackIsCapturedBelowTheStackRate() {
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 3, 5_000_000_000L, 1_000_000));
        openAndClose(r, 1_000);
        RecordingSnapshot s = r.snapshot();
        assertEquals(0, s.stacksNotSampled());
        assertEquals(2_000, captured(s));
    }

    private static void openAndClose(Recorder r, int connections) {
        for (int i = 0; i < connections; i++) {
            r.closing(connect(r, SERVER, 40000 + i));
        }
    }

    /** Events of one role counted under a captured stack (not "not sampled", not "no stack"). */
    private static long withStack(Map<Integer, Long> stacksOfRole) {
        return stacksOfRole.entrySet().stream().filter(c -> c.getKey() > 0).mapToLong(Map.Entry::getValue).sum();
    }

    /** Captures behind the stacks kept. */
    private static long captured(RecordingSnapshot s) {
        return s.stacks().stream().mapToLong(StackTable.StackTrace::count).sum();
    }

    @Test
    void aSocketCollectedWithoutCloseIsReportedAsALeakAndNotRetained() throws Exception {
        Recorder r = recorder(5_000_000_000L);
        Object socket = connect(r, SERVER, 40000);
        WeakReference<Object> ref = new WeakReference<>(socket);
        socket = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(null, ref.get(), "the recorder must not keep the socket alive");
        EndpointSnapshot e = null;
        for (int i = 0; i < 50; i++) {
            e = only(r);
            if (e.closed() == 1) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals(1, e.closes(CloseCause.COLLECTED));
        assertEquals(0, e.open());
    }
}
