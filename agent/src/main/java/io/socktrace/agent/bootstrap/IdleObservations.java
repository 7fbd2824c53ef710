package io.socktrace.agent.bootstrap;

import java.util.Map;

/**
 * What connections this JVM made to one endpoint showed about the peer's idle timeout, in microseconds (-1 when
 * there is no such observation).
 *
 * @param reusedConnections     connections that carried a request after an idle gap and got an answer
 * @param longestAnsweredMicros the longest such gap: the peer kept a connection idle at least that long
 * @param longestReuseMicros    the longest idle gap after which this JVM reused a connection, answered or not
 * @param exactCloses           peer closes (end of stream, reset) of idle connections seen as they happened, by a
 *                              read waiting for data
 * @param exactMinMicros        the shortest idle time before such a close
 * @param exactMaxMicros        the longest
 * @param foundClosed           idle connections found closed later (by a check, or by a request: stale reuse)
 * @param foundClosedMinMicros  the shortest idle gap after which one was found closed: the peer closes sooner
 * @param staleReuses           requests written on a reused connection the peer had closed (end of stream or reset
 *                              with the request in flight)
 * @param staleMinMicros        the shortest idle gap before a stale reuse
 * @param staleMaxMicros        the longest
 * @param staleStacks           stack id (of the thread that found the connection closed) to count
 * @param closedAfterReply      of the found closed: connections whose close the peer's reply to a request on the
 *                              reused connection preceded, with no other request between: that reply may be the
 *                              peer's last message as it closed them for idleness, so it is not counted as an answer
 *                              and the gap is measured from before that request
 * @param closedAfterReplyMinMicros the shortest idle gap before such a request
 * @param closedAfterReplyMaxMicros the longest
 */
public record IdleObservations(long reusedConnections, long longestAnsweredMicros, long longestReuseMicros,
                               long exactCloses, long exactMinMicros, long exactMaxMicros, long foundClosed,
                               long foundClosedMinMicros, long staleReuses, long staleMinMicros,
                               long staleMaxMicros, Map<Integer, Long> staleStacks, long closedAfterReply,
                               long closedAfterReplyMinMicros, long closedAfterReplyMaxMicros) {

    public static final IdleObservations NONE = new IdleObservations(0, 0, 0, 0, -1, -1, 0, -1, 0, -1, -1, Map.of(),
            0, -1, -1);
}
