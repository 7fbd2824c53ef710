package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the idle gaps of recorded connections fold into, one kind of sequence at a time. */
class IdleGapsTest {

    @Test
    void answeredReusesGiveTheLongestGapAndTheFirstRequestIsNoReuse() {
        IdleObservations o = new IdleHistory().reused(100, 400, 250).reused().observations();
        assertEquals(1, o.reusedConnections(), o.toString());
        assertEquals(400_000, o.longestAnsweredMicros(), o.toString());
        assertEquals(400_000, o.longestReuseMicros(), o.toString());
        assertEquals(0, o.foundClosed() + o.exactCloses() + o.staleReuses(), o.toString());
    }

    @Test
    void aRequestOnAReusedConnectionMeetingTheCloseIsAStaleReuse() {
        IdleObservations o = new IdleHistory().stale(900, CloseCause.END_OF_STREAM, 7)
                .stale(1_200, CloseCause.RESET, 7).observations();
        assertEquals(List.of(2L, 2L, 900_000L, 900_000L, 1_200_000L, 1_200_000L),
                List.of(o.staleReuses(), o.foundClosed(), o.foundClosedMinMicros(), o.staleMinMicros(),
                        o.staleMaxMicros(), o.longestReuseMicros()), o.toString());
        assertEquals(Map.of(7, 2L), o.staleStacks());
        assertEquals(0, o.reusedConnections(), "the stale request was not answered");
    }

    @Test
    void idleClosesAreExactWhenAReadWasWaitingAndBoundsOtherwise() {
        IdleObservations o = new IdleHistory().closedWhileIdle(600, true, 0).closedWhileIdle(605, true, 0)
                .closedWhileIdle(600, false, 1_400).observations();
        assertEquals(List.of(2L, 600_000L, 605_000L, 1L, 2_000_000L, 0L),
                List.of(o.exactCloses(), o.exactMinMicros(), o.exactMaxMicros(), o.foundClosed(),
                        o.foundClosedMinMicros(), o.staleReuses()), o.toString());
    }

    @Test
    void nothingObservedIsNothing() {
        IdleObservations o = new IdleHistory().observations();
        assertEquals(List.of(0L, 0L, 0L, -1L, -1L), List.of(o.reusedConnections(), o.exactCloses(), o.foundClosed(),
                o.exactMinMicros(), o.foundClosedMinMicros()));
    }
}
