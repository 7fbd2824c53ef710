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
    void aCloseFoundAfterTheReplyToAReuseIsNoAnswerAndBoundsFromBeforeTheRequest() {
        // answered after 300 ms (confirmed by the next reply), then a reply after 2 s and the close found at once
        IdleObservations o = new IdleHistory().reused(300).closedAfterReply(2_000).observations();
        assertEquals(List.of(1L, 300_000L, 1L, 2_000_000L, 2_000_000L, 1L, 0L, 0L),
                List.of(o.reusedConnections(), o.longestAnsweredMicros(), o.closedAfterReply(),
                        o.closedAfterReplyMinMicros(), o.closedAfterReplyMaxMicros(), o.foundClosed(),
                        o.staleReuses(), o.exactCloses()), o.toString());
        // the idle gap before the request, plus the request's write to the close found (1 ms reply, 1 ms more)
        assertEquals(2_002_000, o.foundClosedMinMicros(), o.toString());
        assertEquals(2_000_000, o.longestReuseMicros(), o.toString());
    }

    @Test
    void aReplyTheConnectionOutlivedIsAnAnswer() {
        // the close came to a waiting read 600 ms after the reply: the peer was still there after the request
        IdleObservations o = new IdleHistory().answeredThenClosedWhileIdle(400, 600).observations();
        assertEquals(List.of(1L, 400_000L, 0L, 1L, 600_000L, 0L),
                List.of(o.reusedConnections(), o.longestAnsweredMicros(), o.closedAfterReply(), o.exactCloses(),
                        o.exactMinMicros(), o.foundClosed()), o.toString());
    }

    @Test
    void aWaitingReadThatGotTheCloseSoonAfterTheReplyProvesNothingEither() {
        // 2 ms after the reply to a request sent after 2 s idle: a read that took that long may have found it queued
        IdleObservations o = new IdleHistory().answeredThenClosedWhileIdle(2_000, 2).observations();
        assertEquals(List.of(0L, 1L, 0L, 1L), List.of(o.reusedConnections(), o.closedAfterReply(), o.exactCloses(),
                o.foundClosed()), o.toString());
    }

    @Test
    void aPeerThatSaysGoodbyeBeforeClosingClosedAfterTheQuietGapBeforeIt() {
        IdleObservations o = new IdleHistory().closedAfterGoodbye(1_000).closedAfterGoodbye(1_200).observations();
        assertEquals(List.of(2L, 1_000_000L, 1_200_000L, 0L, 0L, 0L),
                List.of(o.exactCloses(), o.exactMinMicros(), o.exactMaxMicros(), o.foundClosed(), o.staleReuses(),
                        o.closedAfterReply()), "the goodbye's own frames are not idleness: " + o);
        assertEquals(0, o.reusedConnections(), "this JVM's reply to the goodbye is no reuse: " + o);
    }

    @Test
    void aPartingMessageBeforeTheCloseIsNoActivity() {
        IdleObservations o = new IdleHistory().closedAfterPartingMessage(1_000).observations();
        assertEquals(List.of(1L, 1_000_000L, 0L, 0L), List.of(o.exactCloses(), o.exactMinMicros(), o.foundClosed(),
                o.closedAfterReply()), o.toString());
    }

    @Test
    void theFirstRequestAfterATlsHandshakeIsNoReuse() {
        IdleObservations o = new IdleHistory().tlsOneRequest(50).observations();
        assertEquals(List.of(0L, 0L), List.of(o.reusedConnections(), o.longestReuseMicros()), o.toString());
    }

    @Test
    void aCloseRightAfterTheAnswerToThisJvmsRequestIsNoGoodbye() {
        // this JVM's request started the last exchange: no quiet gap before it stands for the idle time
        IdleObservations o = new IdleHistory().closedRightAfterAnswer(1_000).observations();
        assertEquals(List.of(0L, 1L), List.of(o.exactCloses(), o.closedAfterReply()), o.toString());
    }

    @Test
    void nothingObservedIsNothing() {
        IdleObservations o = new IdleHistory().observations();
        assertEquals(List.of(0L, 0L, 0L, -1L, -1L), List.of(o.reusedConnections(), o.exactCloses(), o.foundClosed(),
                o.exactMinMicros(), o.foundClosedMinMicros()));
    }
}
