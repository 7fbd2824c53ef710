package io.socktrace.agent.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.socktrace.agent.analysis.RetryStorm.Backoff;
import io.socktrace.agent.bootstrap.AttemptTimes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The backoff inference on recorded attempt times, including too few of them. */
class RetryStormTest {

    private static final long T0 = 1_800_000_000_000_000L;

    /** Attempts at these offsets (micros from T0), kept as the recorder keeps them: first 8, then the last 32. */
    private static AttemptTimes at(long... offsets) {
        long[] times = Arrays.stream(offsets).map(o -> T0 + o).toArray();
        int first = Math.min(8, times.length);
        int last = Math.min(32, times.length - first);
        return new AttemptTimes(times.length, Arrays.copyOf(times, first),
                Arrays.copyOfRange(times, times.length - last, times.length));
    }

    private static long[] steady(int n, long gap, long jitter) {
        long[] t = new long[n];
        for (int i = 1; i < n; i++) {
            t[i] = t[i - 1] + gap + (i % 3) * jitter;
        }
        return t;
    }

    @Test
    void noFailedConnectsIsNoStorm() {
        assertNull(RetryStorm.of(AttemptTimes.NONE));
    }

    @Test
    void steadyGapsAreNoBackoff() {
        RetryStorm storm = RetryStorm.of(at(steady(120, 80_000, 2_500)));
        assertEquals(Backoff.NONE, storm.backoff());
        assertEquals(120, storm.attempts());
        assertEquals(80, storm.notKept());
        assertEquals(80_000, storm.lowGapMicros());
        assertEquals(85_000, storm.highGapMicros());
        assertEquals("120 attempts in 9.820 s (12.1/s), no backoff (gaps mostly 80 ms to 85 ms); gaps measured over 40 "
                + "of the attempts (the first and the most recent)", storm.summary());
    }

    @Test
    void aTightLoopIsNoBackoffWhateverItsJitter() {
        RetryStorm storm = RetryStorm.of(at(0, 50, 400, 420, 900, 910, 990));
        assertEquals(Backoff.NONE, storm.backoff());
        assertEquals("7 attempts in 1.0 ms (6060.6/s), no backoff (gaps mostly 0.0 ms to 0.4 ms)", storm.summary());
    }

    @Test
    void doublingGapsAreABackoff() {
        RetryStorm storm = RetryStorm.of(at(0, 100_000, 300_000, 700_000, 1_500_000, 3_100_000, 6_300_000,
                12_700_000, 12_700_000 + 6_400_000));
        assertEquals(Backoff.BACKING_OFF, storm.backoff());
        assertEquals(100_000, storm.firstGapMicros());
        assertEquals(6_400_000, storm.lastGapMicros());
        assertEquals(0, storm.notKept());
        assertEquals(8, storm.gapsMeasured(), "the gap between the two kept parts counts when none is missing");
        assertEquals("9 attempts in 19.100 s (0.4/s), backing off (gaps 100 ms -> 6.400 s)", storm.summary());
    }

    @Test
    void aBackoffCappedAtItsMaximumIsStillABackoff() {
        long[] t = new long[40];
        long gap = 100_000;
        for (int i = 1; i < t.length; i++) {
            t[i] = t[i - 1] + gap;
            gap = Math.min(2 * gap, 3_200_000);
        }
        RetryStorm storm = RetryStorm.of(at(t));
        assertEquals(Backoff.BACKING_OFF, storm.backoff());
        assertEquals(3_200_000, storm.lastGapMicros());
    }

    @Test
    void gapsThatVaryWithoutGrowingAreIrregular() {
        RetryStorm storm = RetryStorm.of(at(0, 500_000, 520_000, 1_900_000, 1_930_000, 3_000_000, 3_010_000));
        assertEquals(Backoff.IRREGULAR, storm.backoff());
    }

    @Test
    void tooFewAttemptsSaySoInsteadOfGuessing() {
        RetryStorm four = RetryStorm.of(at(0, 100_000, 300_000, 700_000));
        assertEquals(Backoff.TOO_FEW, four.backoff());
        assertEquals("4 attempts in 700 ms (4.3/s): too few to tell whether it backs off (5 needed)", four.summary());
        RetryStorm one = RetryStorm.of(at(0));
        assertEquals(Backoff.TOO_FEW, one.backoff());
        assertEquals(-1, one.firstGapMicros());
        assertEquals("1 failed attempt: too few to tell whether it backs off (5 needed)", one.summary());
    }

    @Test
    void attemptsRecordedOutOfOrderAcrossThreadsAreSortedFirst() {
        RetryStorm storm = RetryStorm.of(at(0, 160_000, 80_000, 240_000, 320_000, 400_000));
        assertEquals(Backoff.NONE, storm.backoff());
        assertEquals(80_000, storm.firstGapMicros());
    }
}
