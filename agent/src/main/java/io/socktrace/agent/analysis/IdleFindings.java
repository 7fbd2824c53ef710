package io.socktrace.agent.analysis;

/**
 * What the idle gaps of one endpoint's connections say about the peer's idle timeout, stale reuse, and what to
 * change. Times in microseconds, -1 when unknown.
 *
 * @param observations     reuses answered after an idle gap, plus idle connections the peer closed
 * @param enough           enough observations to say anything about the timeout ({@link PeerIdleTimeout#MIN_OBSERVATIONS})
 * @param exact            the timeout was seen as it happened (reads waiting when the peer closed)
 * @param lowerMicros      the peer's idle timeout is longer than this (exact: the shortest idle close seen)
 * @param upperMicros      and at most this (exact: the longest idle close seen); -1 when unbounded
 * @param consistent       the bounds agree (lower <= upper)
 * @param reusedUpToMicros the longest idle gap after which this JVM reused a connection, -1 if none
 * @param timeout          the timeout in one sentence, {@code null} if nothing was observed
 * @param staleReuses      requests written on connections the peer had already closed
 * @param staleBy          who found those connections closed (the thread that wrote the request)
 * @param library          the known library the suggestion is for, {@code null} for the plain-words version
 * @param suggestion       what to change, {@code null} when nothing needs changing or too little is known
 */
public record IdleFindings(long observations, boolean enough, boolean exact, long lowerMicros, long upperMicros,
                           boolean consistent, long reusedUpToMicros, String timeout, long staleReuses,
                           Attribution staleBy, String library, String suggestion) {
}
