package io.socktrace.agent.report;

import io.socktrace.agent.analysis.Attribution;
import io.socktrace.agent.analysis.RetryStorm;

/** An endpoint's {@code retries} in the JSON report: the failed connects over time and the backoff verdict. */
final class RetryStormJson {

    private RetryStormJson() {
    }

    /** {@code "retries": {...}}, or {@code null} without failed connects; the retrying frame is failedBy's. */
    static void write(Json json, RetryStorm storm, Attribution failedBy) {
        json.name("retries");
        if (storm == null) {
            json.value((String) null);
            return;
        }
        boolean kept = failedBy != null && failedBy.stack() != null;
        json.beginObject()
                .field("attempts", storm.attempts())
                .field("spanMicros", storm.spanMicros())
                .field("attemptsPerMinute", Math.round(storm.perSecond() * 60))
                .field("backoff", storm.backoff().jsonName())
                .field("firstGapMicros", storm.firstGapMicros())
                .field("lastGapMicros", storm.lastGapMicros())
                .field("lowGapMicros", storm.lowGapMicros())
                .field("highGapMicros", storm.highGapMicros())
                .field("gapsMeasured", storm.gapsMeasured())
                .field("attemptsNotKept", storm.notKept())
                .field("summary", storm.summary())
                .field("retriedBy", kept && failedBy.frame() >= 0 ? failedBy.stack().frame(failedBy.frame()) : null);
        if (kept) {
            json.field("stackId", failedBy.stack().id());
        } else {
            json.field("stackId", (String) null);
        }
        json.endObject();
    }
}
