package io.socktrace.agent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.Transport;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Findings from hand-built recordings: the verdict, the attribution and the ordering. */
class ReconnectAnalysisTest {

    static final StackTrace CONNECT = StackTrace.of(1,
            new String[] {"sun.nio.ch.NioSocketImpl", "java.net.Socket", "demo.memcache.Pool", "demo.memcache.Pool", "demo.App"},
            new String[] {"connect", "connect", "find", "store", "run"},
            new String[] {"NioSocketImpl.java", "Socket.java", "Pool.java", "Pool.java", "App.java"},
            new int[] {629, 633, 52, 60, 31});
    static final StackTrace CLOSE = StackTrace.of(2,
            new String[] {"sun.nio.ch.NioSocketImpl", "java.net.Socket", "demo.memcache.Pool", "demo.memcache.Pool", "demo.App"},
            new String[] {"close", "close", "failure", "store", "run"},
            new String[] {"NioSocketImpl.java", "Socket.java", "Pool.java", "Pool.java", "App.java"},
            new int[] {889, 1575, 88, 64, 31});

    static EndpointSnapshot endpoint(int port, long opened, long reconnects, long failed, Map<CloseCause, Long> causes,
                                     long inFlight, Map<String, Long> failures) {
        long closed = causes.values().stream().mapToLong(Long::longValue).sum();
        return new EndpointSnapshot(new Endpoint("127.0.0.1", port, null), opened, 0, closed, (int) (opened - closed),
                reconnects, failed, inFlight, 0, Map.of(Transport.SOCKET, opened), 1_000_000L, 61_000_000L, causes,
                failures,
                Map.of(2, closed), Map.of(1, reconnects), failed > 0 ? Map.of(1, failed) : Map.of(),
                Map.of(1000, causes.getOrDefault(CloseCause.READ_TIMEOUT, 0L)),
                new long[] {10_400_000, 10_300_000, 10_500_000}, new long[] {200, 150, 300},
                new long[] {100, 100, 200}, new long[] {1_000_100, 1_000_200, 1_000_300}, new Cycle[0], 0);
    }

    static RecordingSnapshot recording(EndpointSnapshot... endpoints) {
        return new RecordingSnapshot(0, 61_000_000L, new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L),
                List.of(endpoints), List.of(CONNECT, CLOSE), 0, 0, 0, 0, 0, 0, true, 0, null, Map.of(), Map.of());
    }

    static Map<CloseCause, Long> causes(Object... causeAndCount) {
        Map<CloseCause, Long> map = new EnumMap<>(CloseCause.class);
        for (int i = 0; i < causeAndCount.length; i += 2) {
            map.put((CloseCause) causeAndCount[i], ((Number) causeAndCount[i + 1]).longValue());
        }
        return map;
    }

    @Test
    void theOriginalStoryInOneSentence() {
        EndpointSnapshot e = endpoint(2004, 58, 57, 0, causes(CloseCause.READ_TIMEOUT, 57), 57, Map.of());
        EndpointFindings f = ReconnectAnalysis.analyze(recording(e)).get(0);
        assertEquals("reconnected 57 times; 57 of 57 closes by this JVM 0.1 ms after a read timeout (SO_TIMEOUT 1000 ms), "
                + "every time with a request in flight (sent 1.000 s before the close), in Pool.failure(Pool.java:88); "
                + "reopened 0.2 ms later by Pool.find(Pool.java:52); the peer's late reply will meet a closed socket (RST)",
                f.verdict());
        assertEquals(CloseCause.READ_TIMEOUT, f.dominantCause());
        assertEquals("demo.memcache.Pool.failure(Pool.java:88)", f.closer().where());
        assertEquals("demo.memcache.Pool.store(Pool.java:64)", f.closer().calledFrom());
        assertEquals("demo.App.run(App.java:31)", f.closer().applicationFrame());
        assertEquals("demo.memcache.Pool.find(Pool.java:52)", f.reopener().where());
        assertEquals(10_400_000, f.medianLifetimeMicros());
        assertEquals(200, f.medianGapMicros());
        assertEquals(1000, f.timeoutMillis());
    }

    @Test
    void peerClosesAreSaidToBeThePeers() {
        EndpointSnapshot e = endpoint(80, 3, 2, 0, causes(CloseCause.END_OF_STREAM, 3), 0, Map.of());
        String verdict = ReconnectAnalysis.analyze(recording(e)).get(0).verdict();
        assertEquals("reconnected 2 times; 3 of 3 closes after the peer closed first (end of stream); this JVM closed "
                + "its side 0.1 ms later, in Pool.failure(Pool.java:88); reopened 0.2 ms later by Pool.find(Pool.java:52)",
                verdict);
    }

    @Test
    void failedAttemptsAreCountedByReasonAndNothingIsGuessed() {
        EndpointSnapshot e = endpoint(6379, 0, 0, 4, causes(), 0, Map.of("refused", 4L));
        EndpointFindings f = ReconnectAnalysis.analyze(recording(e)).get(0);
        assertEquals("never connected; 4 connection attempts failed (4 refused)", f.verdict());
        assertNull(f.dominantCause());
        assertEquals("demo.memcache.Pool.find(Pool.java:52)", f.failedConnector().where());
    }

    @Test
    void endpointsWithMoreChurnComeFirst() {
        EndpointSnapshot calm = endpoint(1, 1, 0, 0, causes(CloseCause.NO_ERROR, 1), 0, Map.of());
        EndpointSnapshot churning = endpoint(2, 10, 9, 0, causes(CloseCause.NO_ERROR, 10), 0, Map.of());
        EndpointSnapshot failing = endpoint(3, 0, 0, 3, causes(), 0, Map.of("refused", 3L));
        List<EndpointFindings> findings = ReconnectAnalysis.analyze(recording(calm, failing, churning));
        assertEquals(List.of(2, 3, 1), findings.stream().map(f -> f.endpoint().endpoint().port()).toList());
    }

    @Test
    void aLibraryCloserIsFollowedByTheApplicationFrameBeyondTheLibrary() {
        StackTrace pooled = StackTrace.of(2,
                new String[] {"java.net.Socket", "com.zaxxer.hikari.pool.PoolBase", "com.zaxxer.hikari.pool.HikariPool",
                    "org.springframework.jdbc.core.JdbcTemplate", "shop.orders.OrderRepository", "shop.orders.Checkout"},
                new String[] {"close", "quietlyCloseConnection", "evict", "execute", "save", "pay"},
                new String[] {"Socket.java", "PoolBase.java", "HikariPool.java", "JdbcTemplate.java",
                    "OrderRepository.java", "Checkout.java"},
                new int[] {1575, 130, 420, 380, 27, 12});
        EndpointSnapshot e = endpoint(5432, 2, 1, 0, causes(CloseCause.NO_ERROR, 2), 0, Map.of());
        RecordingSnapshot r = new RecordingSnapshot(0, 61_000_000L, new RecorderSettings(16, 8, 64, 32, 5, 0),
                List.of(e), List.of(CONNECT, pooled), 0, 0, 0, 0, 0, 0, true, 0, null, Map.of(), Map.of());

        Attribution closer = ReconnectAnalysis.analyze(r).get(0).closer();
        assertEquals("com.zaxxer.hikari.pool.PoolBase.quietlyCloseConnection(PoolBase.java:130)", closer.where());
        assertEquals("com.zaxxer.hikari.pool.HikariPool.evict(HikariPool.java:420)", closer.calledFrom());
        assertEquals("shop.orders.OrderRepository.save(OrderRepository.java:27)", closer.applicationFrame());

        Attribution custom = ReconnectAnalysis.analyze(r, Libraries.withExtra(List.of("shop.orders"))).get(0).closer();
        assertNull(custom.applicationFrame(), "with shop.orders a library too, no application frame is left");
    }

    @Test
    void durationsReadLikeAReport() {
        assertEquals("0.2 ms", Durations.format(200));
        assertEquals("12 ms", Durations.format(12_400));
        assertEquals("1.000 s", Durations.format(1_000_000));
        assertEquals("10m10s", Durations.format(610_000_000));
        assertEquals("1h01m01s", Durations.format(3_661_000_000L));
        assertEquals(-1, Durations.median(new long[0]));
        assertEquals(2, Durations.median(new long[] {3, 1, 2}));
    }
}
