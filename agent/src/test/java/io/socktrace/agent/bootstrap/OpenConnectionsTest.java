package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which connections still open a report shows in full, and that the rest are counted. */
class OpenConnectionsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static Endpoint endpoint(int port) {
        return Endpoint.of(new InetSocketAddress(LOOPBACK, port));
    }

    private static ConnectionRecord record(long id, Endpoint endpoint, long startNanos) {
        return new ConnectionRecord(id, Transport.SOCKET, endpoint, null, null, LOOPBACK, 40000 + (int) id, startNanos,
                startNanos + 1_000, 7, "opener-" + id);
    }

    @Test
    void atMostPerEndpointTheLongestOpenFirstAndTheRestCounted() {
        OpenConnections open = new OpenConnections(10, 1000);
        Endpoint e = endpoint(11211);
        long t = Clock.nanos() - 1_000_000_000L;
        List<ConnectionRecord> records = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            records.add(record(i, e, t + (25 - i) * 1_000_000L)); // the later the id, the earlier it opened
        }
        ConnectionRecord before = ConnectionRecord.openedBefore(99, Transport.SOCKET, e, null, null, LOOPBACK, 45000,
                t + 500_000_000L); // first seen late, but open since before recording: the longest open of all
        records.add(before);
        records.forEach(r -> open.add(e, r));

        List<StillOpen> kept = open.kept(e);
        assertEquals(10, kept.size());
        assertEquals(16, open.omitted(e));
        assertEquals(99, kept.get(0).id());
        assertTrue(kept.get(0).openedBeforeRecording());
        assertEquals(-1, kept.get(0).openedMicros(), "its open time is unknown");
        assertEquals(Clock.epochMicros(t + 500_000_000L), kept.get(0).firstSeenMicros());
        assertEquals(-1, kept.get(0).connectMicros());
        assertEquals(null, kept.get(0).connectThread());
        for (int i = 1; i < kept.size(); i++) {
            assertEquals(26 - i, kept.get(i).id(), "then by connect time, oldest first");
            assertFalse(kept.get(i).openedBeforeRecording());
        }
        StillOpen oldest = kept.get(1);
        assertEquals(40025, oldest.localPort());
        assertEquals("opener-25", oldest.connectThread());
        assertEquals(7, oldest.connectStackId());
        assertEquals(Clock.epochMicros(t), oldest.openedMicros());
        assertEquals(1, oldest.connectMicros());
        assertEquals(-1, oldest.firstSeenMicros());
    }

    @Test
    void atMostInAllSharedOneEachInTurn() {
        OpenConnections open = new OpenConnections(100, 50);
        long t = Clock.nanos();
        List<Endpoint> endpoints = new ArrayList<>();
        int id = 0;
        for (int port = 1; port <= 4; port++) {
            Endpoint e = endpoint(10000 + port);
            endpoints.add(e);
            int count = port == 1 ? 2 : 40; // one endpoint with few, three with many
            for (int i = 0; i < count; i++) {
                open.add(e, record(++id, e, t + id));
            }
        }
        assertEquals(2, open.kept(endpoints.get(0)).size(), "the small endpoint keeps all of its own");
        assertEquals(0, open.omitted(endpoints.get(0)));
        int kept = 0;
        long omitted = 0;
        for (Endpoint e : endpoints) {
            kept += open.kept(e).size();
            omitted += open.omitted(e);
            if (e != endpoints.get(0)) {
                assertEquals(16, open.kept(e).size(), e + ": the rest of the 50 shared evenly");
            }
        }
        assertEquals(50, kept);
        assertEquals(2 + 3 * 40 - 50, omitted, "every connection kept or counted");
    }

    @Test
    void aRequestInFlightAndThePeersEndOfStreamAreCopied() {
        OpenConnections open = new OpenConnections(OpenConnections.PER_ENDPOINT, OpenConnections.IN_ALL);
        Endpoint e = endpoint(6379);
        long t = Clock.nanos();
        ConnectionRecord r = record(1, e, t);
        r.written(t + 2_000_000L, 10);
        r.read(t + 3_000_000L, 5);
        r.written(t + 4_000_000L, 10); // a second request, not answered yet
        open.add(e, r);
        StillOpen o = open.kept(e).get(0);
        assertTrue(o.requestInFlight());
        assertEquals(Clock.epochMicros(t + 4_000_000L), o.requestMicros());
        assertEquals(20, o.bytesWritten());
        assertEquals(0, o.endOfStreamMicros());
        r.read(t + 5_000_000L, -1);
        OpenConnections later = new OpenConnections(OpenConnections.PER_ENDPOINT, OpenConnections.IN_ALL);
        later.add(e, r);
        assertEquals(Clock.epochMicros(t + 5_000_000L), later.kept(e).get(0).endOfStreamMicros());
    }

    @Test
    void aSnapshotShowsTheOpenConnectionsAndNotTheClosedOnes() {
        Recorder r = new Recorder(new RecorderSettings(16, 8, 64, 32, 3, 5_000_000_000L));
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, 11211);
        Object closed = new Object();
        r.connected(closed, Transport.SOCKET, server, LOOPBACK, 40000, Clock.nanos());
        r.closing(closed);
        r.connected(new Object(), Transport.SOCKET, server, LOOPBACK, 40001, Clock.nanos());
        EndpointSnapshot e = r.snapshot().endpoints().get(0);
        assertEquals(1, e.open());
        assertEquals(1, e.openConnections().size());
        assertEquals(0, e.openConnectionsOmitted());
        assertEquals(40001, e.openConnections().get(0).localPort());
        assertEquals(Thread.currentThread().getName(), e.openConnections().get(0).connectThread());
        assertEquals(0, r.counters().get(0).openConnections().size(), "counters copy none");
        assertEquals(1, r.counters().get(0).openConnectionsOmitted());
    }
}
