package io.socktrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.CloseShapes;
import io.socktrace.agent.bootstrap.CloseWaitLeak;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Cycles;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.Transport;
import io.socktrace.agent.testing.ReportJson;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wording of half-closes, resets this JVM sent and CLOSE_WAIT leaks, pinned once here (the end-to-end test,
 * {@code CloseShapesIT}, reads the JSON), and the JSON of the same snapshot against the schema.
 */
class CloseShapesTextTest {

    /** 2099-03-01 12:00:00 UTC in microseconds since the epoch (see TextReportTest). */
    private static final long T0 = 4_076_049_600_000_000L;

    private static final StackTrace OPEN = StackTrace.of(1,
            new String[] {"sun.nio.ch.NioSocketImpl", "java.net.Socket", "demo.feed.Client", "demo.App"},
            new String[] {"connect", "connect", "subscribe", "run"},
            new String[] {"NioSocketImpl.java", "Socket.java", "Client.java", "App.java"},
            new int[] {629, 633, 40, 12});
    private static final StackTrace READ = StackTrace.of(2,
            new String[] {"sun.nio.ch.NioSocketImpl", "demo.feed.Client"}, new String[] {"read", "poll"},
            new String[] {"NioSocketImpl.java", "Client.java"}, new int[] {361, 77});

    private static final RecorderSettings SETTINGS = new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L, 0,
            1_000_000_000L);

    private static CloseWaitLeak leak(long id, int localPort, long openedAt, long eofAt, int connectStack) {
        return new CloseWaitLeak(id, Transport.SOCKET, localPort, null, false, openedAt, eofAt, 2_500_000,
                connectStack, "main", "feed-reader", 2);
    }

    private static EndpointSnapshot endpoint(int port, long opened, long closed, CloseShapes shapes, Cycle... cycles) {
        return new EndpointSnapshot(new Endpoint("127.0.0.1", port, null), opened, 0, closed, (int) (opened - closed),
                0, 0, 0, 0, Map.of(Transport.SOCKET, opened), T0, T0 + 2_000_000L,
                closed > 0 ? Map.of(CloseCause.NO_ERROR, closed) : Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), new long[] {1_000}, new long[0], new long[0], new long[0], cycles, 0, shapes,
                io.socktrace.agent.bootstrap.AttemptTimes.NONE, io.socktrace.agent.bootstrap.IdleObservations.NONE);
    }

    private static RecordingSnapshot recording(EndpointSnapshot... endpoints) {
        return new RecordingSnapshot(T0 - 1_000_000L, T0 + 3_000_000L, SETTINGS, List.of(endpoints),
                List.of(OPEN, READ), 0, 0, 0, 0, 0, 0, true, 0, null, Map.of(), Map.of());
    }

    private static String text(RecordingSnapshot r) {
        return new TextReport(ZoneOffset.UTC, Libraries.defaults()).render(r, "pid 42  TestVM 17", "exit");
    }

    @Test
    void closeWaitLeaksAreListedWithWhoOpenedThemAndWhoReadTheEndOfStream() {
        List<CloseWaitLeak> leaks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            leaks.add(leak(i + 1, 40_000 + i, T0 + i * 1_000L, T0 + 500_000L + i * 1_000L, 1));
        }
        String text = text(recording(endpoint(6379, 9, 0, new CloseShapes(0, 0, 0, 9, leaks, 0))));

        assertTrue(text.contains("\nclosing: 9 CLOSE_WAIT leaks (the peer closed, still open after closeWait=1.000 s)\n"),
                text);
        assertTrue(text.contains("\n  CLOSE_WAIT   9 connections still open 1.000 s or more after the peer closed (end of "
                + "stream read): a leak, this JVM\n               never closed them\n"), text);
        assertTrue(text.contains("\n    :40000  open 12:00:00.000000 by \"main\" [s1]  EOF 12:00:00.500000 read by "
                + "\"feed-reader\" [s2]  still open 2.500 s later\n"), text);
        assertEquals(CloseShapesText.LEAKS_SHOWN, text.split("still open 2.500 s later").length - 1, text);
        assertTrue(text.contains("\n    (4 more)\n"), "9 leaks, 5 shown: " + text);
        assertTrue(text.contains("\n  verdict      no connection closed yet (9 open); 9 CLOSE_WAIT leaks (9 connections the peer "
                + "closed that this JVM still\n               holds open)\n"), text);
        assertTrue(text.contains("\n  leaked by    demo.feed.Client.subscribe(Client.java:40)   7 of 7  [s1]\n"
                + "                 called from demo.App.run(App.java:12)\n"), text);
    }

    @Test
    void leaksThatEndedAreCountedInTheHeaderTheirLineAndTheVerdict() {
        String text = text(recording(endpoint(6379, 2, 2, new CloseShapes(0, 0, 0, 0, List.of(), 1))));

        assertTrue(text.contains("\nclosing: 1 closed late (CLOSE_WAIT for closeWait=1.000 s or more)\n"), text);
        assertTrue(text.contains("\n  CLOSE_WAIT   1 connection closed by this JVM only 1.000 s or more after the peer "
                + "closed (end of stream read): a leak\n               that ended\n"), text);
        assertTrue(text.contains("; 1 CLOSE_WAIT leak\n               (1 connection this JVM closed only closeWait or more after the "
                + "peer had)\n"), text);
    }

    @Test
    void leaksWhoseOpenerIsUnknownSaySo() {
        CloseWaitLeak before = new CloseWaitLeak(3, Transport.SOCKET_CHANNEL, 41_000, null, true, T0, T0 + 10L,
                20_000_000, 0, null, "#31", 0);
        String text = text(recording(endpoint(80, 1, 0, new CloseShapes(0, 0, 0, 1, List.of(before), 0))));

        assertTrue(text.contains("\n  CLOSE_WAIT   1 connection still open 1.000 s or more after the peer closed (end of "
                + "stream read): a leak, this JVM\n               never closed it\n"), text);
        assertTrue(text.contains("\n    :41000  open before recording, first seen 12:00:00.000000  EOF 12:00:00.000010 "
                + "read by \"#31\"  still open 20.000 s later\n"), text);
        assertTrue(text.contains("\n  leaked by    (no opening stack known: opened before recording, or not sampled)\n"),
                text);
    }

    @Test
    void halfClosesAndResetsSentAreCountedAndShownInTheirCycles() {
        Cycle halfClosed = Cycles.made(1, Transport.SOCKET, 40_001, T0, 200).wrote(T0 + 1_000, 6)
                .shutdown(T0 + 2_000, true).read(T0 + 3_000, 7).closed(T0 + 4_000, "main", 0);
        Cycle deaf = Cycles.made(2, Transport.SOCKET, 40_002, T0 + 10_000, 200).shutdown(T0 + 11_000, false)
                .read(T0 + 11_500, -1).closed(T0 + 12_000, "main", 0);
        Cycle reset = Cycles.made(3, Transport.SOCKET_CHANNEL, 40_003, T0 + 20_000, 200).wrote(T0 + 21_000, 6)
                .resetSent().closed(T0 + 22_000, "main", 0);
        String text = text(recording(endpoint(8080, 3, 3, new CloseShapes(1, 1, 1, 0, List.of(), 0), halfClosed, deaf,
                reset)));

        assertTrue(text.contains("\nclosing: 1 shutdownOutput, 1 shutdownInput, 1 reset by this JVM (RST)\n"), text);
        assertTrue(text.contains("\n  half-closed  this JVM half-closed 1 connection (shutdownOutput: FIN sent, then read "
                + "on)\n  half-closed  this JVM shut down input of 1 connection (shutdownInput)\n"
                + "  reset        this JVM reset 1 connection (RST): closed with SO_LINGER 0; the peer's next read or "
                + "write fails with a reset\n"), text);
        assertTrue(text.contains("\n    :40001  open 12:00:00.000000 (connect 0.2 ms)  last write 12:00:00.001000  "
                + "last read 12:00:00.003000  shutdownOutput 12:00:00.002000 (FIN sent)  close 12:00:00.004000 by "
                + "\"main\"\n"), text);
        assertTrue(text.contains("\n    :40002  open 12:00:00.010000 (connect 0.2 ms)  shutdownInput 12:00:00.011000  "
                + "close 12:00:00.012000 by \"main\"\n"), "no EOF after its own shutdownInput: " + text);
        assertTrue(text.contains("  close 12:00:00.022000 by \"main\"  RST sent (SO_LINGER 0)  request in flight\n"),
                text);
        assertFalse(text.contains("CLOSE_WAIT"), text);
    }

    @Test
    void plainClosesSayNothingMore() {
        Cycle plain = Cycles.made(1, Transport.SOCKET, 40_001, T0, 200).closed(T0 + 4_000, "main", 0);
        String text = text(recording(endpoint(8080, 1, 1, CloseShapes.NONE, plain)));
        assertFalse(text.contains("\nclosing:"), text);
        assertFalse(text.contains("half-closed"), text);
        assertFalse(text.contains("RST"), text);
    }

    @Test
    void theJsonOfTheSameFollowsTheSchema() {
        Cycle halfClosed = Cycles.made(1, Transport.SOCKET, 40_001, T0, 200).shutdown(T0 + 2_000, true)
                .resetSent().closed(T0 + 4_000, "main", 0);
        RecordingSnapshot r = recording(
                endpoint(8080, 1, 1, new CloseShapes(1, 0, 1, 0, List.of(), 0), halfClosed),
                endpoint(6379, 2, 0, new CloseShapes(0, 0, 0, 2, List.of(leak(5, 40_005, T0, T0 + 100, 1),
                        leak(6, 40_006, T0, T0 + 200, 0)), 3)));
        JsonNode report = ReportJson.parse(new JsonReport(Libraries.defaults()).render(r, 42, "TestVM 17", "exit"));

        assertEquals(1_000_000, report.get("limits").get("closeWaitMicros").asLong());
        JsonNode totals = report.get("totals");
        assertEquals(2, totals.get("closeWaitLeaks").asLong());
        assertEquals(3, totals.get("closeWaitClosedLate").asLong());
        assertEquals(1, totals.get("outputShutdowns").asLong());
        assertEquals(1, totals.get("resetsSent").asLong());
        JsonNode cycle = ReportJson.endpoint(report, "127.0.0.1:8080", false).get("cycles").get(0);
        assertEquals(T0 + 2_000, cycle.get("shutdownOutputAtMicros").asLong());
        assertEquals(0, cycle.get("shutdownInputAtMicros").asLong());
        assertTrue(cycle.get("resetSent").asBoolean());
        JsonNode closeWait = ReportJson.endpoint(report, "127.0.0.1:6379", false).get("closeWait");
        assertEquals(2, closeWait.get("leaks").asLong());
        assertEquals(3, closeWait.get("closedLate").asLong());
        assertTrue(ReportJson.endpoint(report, "127.0.0.1:6379", false).get("verdict").asText().endsWith(
                "; 5 CLOSE_WAIT leaks (2 connections the peer closed that this JVM still holds open, 3 connections "
                        + "this JVM closed only closeWait or more after the peer had)"), "the verdict says it too");
        JsonNode first = closeWait.get("connections").get(0);
        assertEquals(40_005, first.get("localPort").asInt());
        assertEquals("feed-reader", first.get("readerThread").asText());
        assertEquals(2, first.get("readerStackId").asInt());
        assertEquals(T0 + 100, first.get("endOfStreamAtMicros").asLong());
        assertEquals(2_500_000, first.get("openSinceEndOfStreamMicros").asLong());
        assertEquals("demo.feed.Client.subscribe(Client.java:40)", closeWait.get("leakedBy").get("frame").asText());
        assertEquals(1, closeWait.get("leakedBy").get("count").asLong(), "one of the two has no stack");
        assertTrue(ReportJson.endpoint(report, "127.0.0.1:8080", false).get("closeWait").get("leakedBy").isNull());
    }
}
