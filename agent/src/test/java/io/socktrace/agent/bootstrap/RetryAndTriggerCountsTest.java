package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The bounded counting behind retry storms and the report trigger. */
class RetryAndTriggerCountsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void failedAttemptsKeepTheFirstAndTheMostRecentInOrder() {
        FailedAttempts attempts = new FailedAttempts();
        long base = Clock.nanos();
        for (int i = 0; i < 50; i++) {
            attempts.add(base + i * 1_000_000L);
        }
        AttemptTimes times = attempts.times();
        long baseMicros = Clock.epochMicros(base);
        assertEquals(50, times.count());
        assertEquals(10, times.notKept());
        assertArrayEquals(LongStream.range(0, 8).map(i -> baseMicros + i * 1_000).toArray(), times.firstMicros());
        assertArrayEquals(LongStream.range(18, 50).map(i -> baseMicros + i * 1_000).toArray(), times.lastMicros());
    }

    @Test
    void fewFailedAttemptsAreAllKept() {
        FailedAttempts attempts = new FailedAttempts();
        long base = Clock.nanos();
        for (int i = 0; i < 11; i++) {
            attempts.add(base + i * 1_000_000L);
        }
        AttemptTimes times = attempts.times();
        assertEquals(0, times.notKept());
        assertEquals(8, times.firstMicros().length);
        assertEquals(3, times.lastMicros().length);
    }

    @Test
    void theTriggerWindowFiresOncePerIntervalAtTheThreshold() {
        TriggerWindow window = new TriggerWindow();
        long t = 0;
        for (int i = 1; i < 10; i++) {
            assertEquals(0, window.count(t += 1_000, 10, 60 * SECOND), "below the threshold");
        }
        assertEquals(10, window.count(t += 1_000, 10, 60 * SECOND), "the 10th within the minute fires");
        for (int i = 0; i < 30; i++) {
            assertEquals(0, window.count(t += 1_000, 10, 60 * SECOND), "not again within the interval");
        }
        t += 61 * SECOND;
        long fired = 0;
        for (int i = 0; i < 10; i++) {
            fired += window.count(t += 1_000, 10, 60 * SECOND);
        }
        assertEquals(10, fired, "a new interval, the threshold reached again: fires again");
    }

    @Test
    void eventsSpreadWiderThanTheIntervalNeverFire() {
        TriggerWindow window = new TriggerWindow();
        long t = 0;
        for (int i = 0; i < 100; i++) {
            assertEquals(0, window.count(t += 10 * SECOND, 10, 60 * SECOND), "6 a minute stay below 10/min");
        }
    }

    @Test
    void theGlobalCapCountsWhatItHoldsBack() {
        ReportTrigger trigger = new ReportTrigger(ReportTrigger.Kind.RECONNECTS, 1, 60 * SECOND, "reconnects:1/min");
        long now = Clock.nanos();
        for (int port = 1; port <= 8; port++) {
            EndpointAggregate aggregate = new EndpointAggregate(new Endpoint("127.0.0.1", port, null), 5, 5 * SECOND);
            trigger.count(ReportTrigger.Kind.RECONNECTS, aggregate, now);
            trigger.count(ReportTrigger.Kind.FAILED_CONNECTS, aggregate, now); // another kind: not counted
        }
        assertEquals(ReportTrigger.REPORTS_PER_INTERVAL, trigger.counts().fired());
        assertEquals(8 - ReportTrigger.REPORTS_PER_INTERVAL, trigger.counts().suppressed());
    }
}
