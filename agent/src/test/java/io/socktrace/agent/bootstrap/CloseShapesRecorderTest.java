package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Half-closes and CLOSE_WAIT leaks from event sequences fed to the recorder directly. */
class CloseShapesRecorderTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 11211);

    private static Recorder recorder(long closeWaitNanos) {
        return new Recorder(new RecorderSettings(64, 8, 64, 32, 3, 5_000_000_000L, 0, closeWaitNanos));
    }

    private static Object connect(Recorder r, int localPort) {
        Object socket = new Object();
        r.connected(socket, Transport.SOCKET, SERVER, InetAddress.getLoopbackAddress(), localPort, Clock.nanos());
        return socket;
    }

    private static EndpointSnapshot only(Recorder r) {
        List<EndpointSnapshot> endpoints = r.snapshot().endpoints();
        assertEquals(1, endpoints.size());
        return endpoints.get(0);
    }

    @Test
    void anOpenConnectionThatReadEndOfStreamIsACloseWaitLeakOnceCloseWaitHasPassed() {
        Recorder r = recorder(0); // any end of stream counts at once: no waiting in a unit test
        Object leaked = connect(r, 40000);
        r.read(leaked, 5);
        r.read(leaked, -1);
        r.read(leaked, -1); // the JDK latches end of stream: the first -1 is the one
        Object closedAfterEof = connect(r, 40001);
        r.read(closedAfterEof, -1);
        r.closing(closedAfterEof);
        Object stillReading = connect(r, 40002);
        r.read(stillReading, 5);

        CloseShapes shapes = only(r).closeShapes();
        assertEquals(1, shapes.closeWaits());
        CloseWaitLeak leak = shapes.closeWaitLeaks().get(0);
        assertEquals(40000, leak.localPort());
        assertEquals(Thread.currentThread().getName(), leak.readerThread());
        assertTrue(leak.eofStackId() > 0, "the read that saw end of stream has its stack");
        assertTrue(leak.connectStackId() > 0);
        assertTrue(leak.eofMicros() >= leak.openedMicros());
        assertEquals(1, r.counters().get(0).closeShapes().closeWaits(), "scrapes count them too");
        assertTrue(r.counters().get(0).closeShapes().closeWaitLeaks().isEmpty(), "without the detail");
    }

    @Test
    void aLeakThisJvmClosesAtLastCountsAsClosedLate() {
        Recorder r = recorder(0);
        Object late = connect(r, 40000);
        r.read(late, -1);
        r.closing(late);
        Object closedBeforeEof = connect(r, 40001);
        r.closing(closedBeforeEof);
        CloseShapes shapes = only(r).closeShapes();
        assertEquals(0, shapes.closeWaits());
        assertEquals(1, shapes.closedLate(), shapes.toString());
        assertEquals(1, shapes.leaksSeen());
        assertEquals(1, r.counters().get(0).closeShapes().closedLate(), "scrapes count them too");
    }

    @Test
    void aCloseBeforeCloseWaitHasPassedIsNoLateClose() {
        Recorder r = recorder(3_600_000_000_000L);
        Object socket = connect(r, 40000);
        r.read(socket, -1);
        r.closing(socket);
        assertEquals(0, only(r).closeShapes().leaksSeen());
    }

    @Test
    void beforeCloseWaitHasPassedThereIsNoLeak() {
        Recorder r = recorder(3_600_000_000_000L);
        Object socket = connect(r, 40000);
        r.read(socket, -1);
        assertEquals(0, only(r).closeShapes().closeWaits());
    }

    @Test
    void leaksBeyondThoseKeptInFullAreCounted() {
        Recorder r = recorder(0);
        List<Object> held = new ArrayList<>(); // the table holds sockets weakly: a collected one is no leak
        for (int i = 0; i < CloseShapes.LEAKS_KEPT + 4; i++) {
            held.add(connect(r, 40000 + i));
            r.read(held.get(i), -1);
        }
        CloseShapes shapes = only(r).closeShapes();
        Reference.reachabilityFence(held);
        assertEquals(CloseShapes.LEAKS_KEPT + 4, shapes.closeWaits());
        assertEquals(CloseShapes.LEAKS_KEPT, shapes.closeWaitLeaks().size());
        assertEquals(40000, shapes.closeWaitLeaks().get(0).localPort(), "oldest end of stream first");
    }

    @Test
    void halfClosesCountOncePerDirectionAndShowInTheCycle() {
        Recorder r = recorder(0);
        Object socket = connect(r, 40000);
        r.written(socket, Clock.nanos(), 6);
        r.shutdown(socket, true);
        r.shutdown(socket, true); // a second shutdownOutput sends nothing
        r.read(socket, 3);
        r.read(socket, -1);
        r.closing(socket);
        Object deaf = connect(r, 40001);
        r.shutdown(deaf, false);
        r.read(deaf, -1); // its own shutdownInput: reads return -1 whatever the peer did
        r.closing(deaf);

        EndpointSnapshot e = only(r);
        assertEquals(1, e.closeShapes().outputShutdowns());
        assertEquals(1, e.closeShapes().inputShutdowns());
        assertEquals(0, e.closeShapes().resetsSent(), "plain objects have no SO_LINGER");
        assertEquals(0, e.closeShapes().closeWaits());
        Cycle halfClosed = e.cycleList().get(0);
        assertTrue(halfClosed.outputShutdownMicros() > 0);
        assertEquals(0, halfClosed.inputShutdownMicros());
        assertEquals(CloseCause.END_OF_STREAM, halfClosed.cause());
        assertFalse(halfClosed.resetSent());
        Cycle deafCycle = e.cycleList().get(1);
        assertTrue(deafCycle.inputShutdownMicros() > 0);
        assertEquals(CloseCause.NO_ERROR, deafCycle.cause(), "no end of stream from the peer");
    }

    @Test
    void aConnectionWithNothingUnusualHasNoCloseShapes() {
        Recorder r = recorder(0);
        r.closing(connect(r, 40000));
        assertEquals(CloseShapes.NONE, only(r).closeShapes());
    }
}
