package io.socktrace.agent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.IdleHistory;
import io.socktrace.agent.bootstrap.IdleObservations;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer's idle timeout inferred from recorded event sequences, and when it is not. */
class PeerIdleTimeoutTest {

    static EndpointSnapshot endpoint(IdleObservations idle) {
        return endpoint(idle, Map.of());
    }

    static EndpointSnapshot endpoint(IdleObservations idle, Map<Integer, Long> closeStacks) {
        return new EndpointSnapshot(new Endpoint("127.0.0.1", 8080, null), 4, 0, 4, 0, 3, 0, 0, 0, Map.of(), 1, 2,
                Map.of(CloseCause.END_OF_STREAM, 4L), Map.of(), closeStacks, Map.of(), Map.of(), Map.of(), new long[0],
                new long[0], new long[0], new long[0], new Cycle[0], 0, io.socktrace.agent.bootstrap.CloseShapes.NONE,
                io.socktrace.agent.bootstrap.AttemptTimes.NONE, idle);
    }

    static IdleFindings idle(IdleHistory history, Map<Integer, StackTrace> stacks) {
        return ReconnectAnalysis.analyze(endpoint(history.observations()), stacks, Libraries.defaults()).idle();
    }

    static IdleFindings idle(IdleHistory history) {
        return idle(history, new HashMap<>());
    }

    @Test
    void boundsComeFromTheLongestAnsweredGapAndTheShortestFoundClosed() {
        IdleFindings f = idle(new IdleHistory().reused(100, 900).reused(300).stale(3_000, CloseCause.END_OF_STREAM, 0)
                .closedWhileIdle(1_000, false, 2_000));
        assertEquals(4, f.observations());
        assertTrue(f.enough() && f.consistent() && !f.exact(), f.toString());
        assertEquals(900_000, f.lowerMicros());
        assertEquals(3_000_000, f.upperMicros());
        assertEquals("the peer closes connections idle longer than 900 ms-3.000 s (4 observations); this JVM reused "
                + "connections idle up to 3.000 s", f.timeout());
        assertEquals(1, f.staleReuses());
        assertNull(f.library(), "no stack: the plain-words version");
        assertEquals("close or check pooled connections idle longer than 900 ms before reusing them, or raise the "
                + "peer's idle timeout above the pool's (the longest idle time after which the peer still answered; "
                + "it closes connections idle longer than 900 ms-3.000 s)", f.suggestion());
    }

    @Test
    void tooFewObservationsSaySoAndSuggestNothing() {
        IdleFindings f = idle(new IdleHistory().reused(500).stale(2_000, CloseCause.RESET, 0));
        assertFalse(f.enough());
        assertEquals("too few observations to tell the peer's idle timeout (2: 1 answered after an idle gap, 0 idle "
                + "closes seen as they came, 1 found closed; 3 needed); this JVM reused connections idle up to "
                + "2.000 s", f.timeout());
        assertNull(f.suggestion());
        assertEquals(1, f.staleReuses(), "a stale reuse is a fact whatever the count");
    }

    @Test
    void closesSeenAsTheyCameAreExact() {
        IdleFindings f = idle(new IdleHistory().closedWhileIdle(600, true, 0).closedWhileIdle(602, true, 0)
                .closedWhileIdle(601, true, 0));
        assertTrue(f.exact());
        assertEquals("the peer closes connections idle for 600 ms-602 ms (exact: 3 idle closes seen as they came)",
                f.timeout());
        assertTrue(f.suggestion().endsWith("(the peer closed idle connections after 600 ms-602 ms)"), f.suggestion());
    }

    @Test
    void boundsThatDisagreeAreNotOneTimeoutAndSuggestNothing() {
        IdleFindings f = idle(new IdleHistory().reused(5_000).closedWhileIdle(1_000, false, 1_000)
                .closedWhileIdle(1_000, false, 1_000));
        assertFalse(f.consistent());
        assertTrue(f.timeout().startsWith("the peer's idle timeout is not one value: a connection idle 5.000 s was "
                + "answered, one idle 2.000 s was found closed (3 observations)"), f.timeout());
        assertNull(f.suggestion());
    }

    @Test
    void reusesAloneBoundTheTimeoutFromBelowAndNeedNoChange() {
        IdleFindings f = idle(new IdleHistory().reused(200).reused(300).reused(400));
        assertEquals("the peer kept connections idle up to 400 ms (3 observations), none found closed: no idle "
                + "timeout seen; this JVM reused connections idle up to 400 ms", f.timeout());
        assertNull(f.suggestion());
        assertEquals(-1, f.upperMicros());
    }

    @Test
    void staleReuseIsNamedInTheVerdictWithTheFramesThatFoundIt() {
        StackTrace stack = StackTrace.of(5, new String[] {"java.net.SocketInputStream", "okio.InputStreamSource",
            "okhttp3.internal.http1.Http1ExchangeCodec", "com.example.Billing"}, new String[] {"read", "read",
            "readResponseHeaders", "charge"}, new String[] {null, "JvmOkio.kt", "Http1ExchangeCodec.kt",
            "Billing.java"}, new int[] {-1, 93, 180, 42});
        Map<Integer, StackTrace> stacks = new HashMap<>(Map.of(5, stack));
        IdleHistory history = new IdleHistory().reused(100).stale(1_500, CloseCause.END_OF_STREAM, 5)
                .stale(1_600, CloseCause.END_OF_STREAM, 5);
        EndpointFindings e = ReconnectAnalysis.analyze(endpoint(history.observations()), stacks, Libraries.defaults());
        assertTrue(e.verdict().endsWith("; 2 stale reuses (a request written on a connection the peer had already "
                + "closed) in InputStreamSource.read(JvmOkio.kt:93)"), e.verdict());
        assertEquals("OkHttp", e.idle().library());
        assertEquals(2, e.idle().staleBy().count());
    }
    @Test
    void aReplyThePeersCloseFollowsIsNoAnswerSoTheBoundsAgree() {
        // a JDBC pool against a database closing sessions idle 1 s: answered after 300 ms; after 2 s the check's
        // query reads the server's error and then its close, which a reply and a close look the same as
        StackTrace hikari = StackTrace.of(3, new String[] {"sun.nio.ch.NioSocketImpl", "org.postgresql.core.PGStream",
            "com.zaxxer.hikari.pool.PoolBase", "com.example.Orders"}, new String[] {"close", "close",
            "isConnectionDead", "list"}, new String[] {null, "PGStream.java", "PoolBase.java", "Orders.java"},
            new int[] {-1, 90, 165, 12});
        IdleHistory history = new IdleHistory().reused(300).reused(300).closedAfterReply(2_000)
                .closedAfterReply(2_000).closedAfterReply(2_050);
        IdleFindings f = ReconnectAnalysis.analyze(endpoint(history.observations(), Map.of(3, 3L)),
                new HashMap<>(Map.of(3, hikari)), Libraries.defaults()).idle();
        assertTrue(f.enough() && f.consistent() && !f.exact(), f.toString());
        assertEquals(300_000, f.lowerMicros());
        assertEquals(2_002_000, f.upperMicros());
        assertEquals("the peer closes connections idle longer than 300 ms-2.002 s (5 observations); 3 found closed "
                + "after the reply to a request sent after 2.000 s-2.050 s idle, before any other request: that reply "
                + "may be the peer's parting message (payload is not read), so it counts as no answer; this JVM reused "
                + "connections idle up to 2.050 s", f.timeout());
        assertEquals("HikariCP", f.library());
        assertTrue(f.suggestion().startsWith("its keepaliveTime and maxLifetime cannot be set below 30 s, and "
                + "the time to stay below is 300 ms: "), f.suggestion());
    }
}
