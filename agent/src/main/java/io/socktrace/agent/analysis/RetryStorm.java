package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.AttemptTimes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Failed connects to one endpoint over time: how many, over what span, how fast, and whether the client backs off,
 * read from the gaps between the starts of successive failed attempts. Growing gaps (the median of the last quarter
 * of the gaps at least twice that of the first quarter, and the last gap at least twice the first; a backoff that
 * reached its cap still shows, since the first attempts are always kept) are a backoff; gaps whose middle half stays
 * within a factor of two, or under a millisecond, are none; anything else is irregular. With fewer than
 * {@link #MIN_ATTEMPTS} attempts it says so instead of guessing. Pure.
 *
 * @param attempts      failed connects in all
 * @param spanMicros    first attempt to last
 * @param perSecond     attempts per second over the span ({@code (attempts - 1) / span}); 0 if the span is 0
 * @param backoff       the verdict
 * @param firstGapMicros the gap between the first two attempts, -1 if fewer than two
 * @param lastGapMicros the gap between the last two, -1 if fewer than two
 * @param lowGapMicros  the first quartile of the measured gaps, -1 if none
 * @param highGapMicros the third quartile, -1 if none (the middle half of the gaps lies between the two, so that
 *                      a pause of the machine or the JVM's warm-up does not hide a steady loop)
 * @param gapsMeasured  gaps measured (consecutive kept attempts)
 * @param notKept       attempts between the first and the most recent kept ones, whose times were not kept
 */
public record RetryStorm(long attempts, long spanMicros, double perSecond, Backoff backoff, long firstGapMicros,
                         long lastGapMicros, long lowGapMicros, long highGapMicros, int gapsMeasured, long notKept) {

    /** Attempts needed before saying whether the client backs off. */
    public static final int MIN_ATTEMPTS = 5;
    /** Gaps all below this are a tight loop: no backoff, whatever their ratio. */
    static final long NEAR_ZERO_MICROS = 1_000;

    /** Whether the client backs off between failed attempts. */
    public enum Backoff {
        TOO_FEW("tooFew"), NONE("none"), BACKING_OFF("backingOff"), IRREGULAR("irregular");

        private final String jsonName;

        Backoff(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * The storm at an endpoint, or {@code null} if it had no failed connects, or if it is the group of endpoints
     * beyond {@code maxEndpoints} (attempts to several servers would read as one client's).
     */
    public static RetryStorm of(io.socktrace.agent.bootstrap.EndpointSnapshot endpoint) {
        boolean lumped = endpoint.endpoint().port() == 0 && endpoint.endpoint().address().equals("other");
        return lumped ? null : of(endpoint.failedAttempts());
    }

    /** The storm in these attempt times, or {@code null} if there were no failed connects. */
    public static RetryStorm of(AttemptTimes times) {
        if (times == null || times.count() == 0) {
            return null;
        }
        long[] first = sorted(times.firstMicros());
        long[] last = sorted(times.lastMicros());
        List<Long> gaps = new ArrayList<>();
        addGaps(gaps, first);
        if (first.length > 0 && last.length > 0 && times.notKept() == 0) {
            gaps.add(Math.max(0, last[0] - first[first.length - 1]));
        }
        addGaps(gaps, last);
        long start = first.length > 0 ? first[0] : 0;
        long end = last.length > 0 ? last[last.length - 1] : first.length > 0 ? first[first.length - 1] : 0;
        long span = Math.max(0, end - start);
        double perSecond = span == 0 ? 0 : (times.count() - 1) * 1_000_000.0 / span;
        long firstGap = gaps.isEmpty() ? -1 : gaps.get(0);
        long lastGap = gaps.isEmpty() ? -1 : gaps.get(gaps.size() - 1);
        long[] ordered = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        long low = percentile(ordered, 25);
        long high = percentile(ordered, 75);
        Backoff backoff = verdict(times.count(), gaps, firstGap, lastGap, low, high);
        return new RetryStorm(times.count(), span, perSecond, backoff, firstGap, lastGap, low, high, gaps.size(),
                times.notKept());
    }

    private static Backoff verdict(long attempts, List<Long> gaps, long firstGap, long lastGap, long low, long high) {
        if (attempts < MIN_ATTEMPTS || gaps.size() < MIN_ATTEMPTS - 1) {
            return Backoff.TOO_FEW;
        }
        if (high < NEAR_ZERO_MICROS) {
            return Backoff.NONE;
        }
        int quarter = Math.max(1, gaps.size() / 4);
        long early = median(gaps.subList(0, quarter));
        long late = median(gaps.subList(gaps.size() - quarter, gaps.size()));
        if (late >= 2 * Math.max(1, early) && lastGap >= 2 * Math.max(1, firstGap)) {
            return Backoff.BACKING_OFF;
        }
        return high <= 2 * low ? Backoff.NONE : Backoff.IRREGULAR;
    }

    /** One line: {@code 120 attempts in 9.900 s (12.0/s), no backoff (gaps 80 ms to 85 ms)}. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(attempts).append(attempts == 1 ? " failed attempt" : " attempts");
        if (attempts > 1) {
            out.append(" in ").append(Durations.format(spanMicros));
            if (spanMicros > 0) {
                out.append(String.format(Locale.ROOT, " (%.1f/s)", perSecond));
            }
        }
        switch (backoff) {
            case TOO_FEW:
                out.append(": too few to tell whether it backs off (").append(MIN_ATTEMPTS).append(" needed)");
                break;
            case NONE:
                out.append(", no backoff (gaps mostly ").append(range()).append(')');
                break;
            case BACKING_OFF:
                out.append(", backing off (gaps ").append(Durations.format(firstGapMicros)).append(" -> ")
                        .append(Durations.format(lastGapMicros)).append(')');
                break;
            default:
                out.append(", irregular gaps (mostly ").append(range()).append("), neither steady nor growing");
                break;
        }
        if (notKept > 0 && backoff != Backoff.TOO_FEW) {
            out.append("; gaps measured over ").append(attempts - notKept).append(" of the attempts (the first and the ")
                    .append("most recent)");
        }
        return out.toString();
    }

    private String range() {
        return lowGapMicros == highGapMicros ? Durations.format(lowGapMicros)
                : Durations.format(lowGapMicros) + " to " + Durations.format(highGapMicros);
    }

    private static long[] sorted(long[] times) {
        long[] copy = times.clone();
        Arrays.sort(copy); // attempts on several threads may be recorded slightly out of order
        return copy;
    }

    private static void addGaps(List<Long> gaps, long[] times) {
        for (int i = 1; i < times.length; i++) {
            gaps.add(times[i] - times[i - 1]);
        }
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    /** Nearest-rank percentile of sorted values, -1 if none. */
    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
