package io.socktrace.agent.config;

/**
 * The value of {@code trigger=KIND:N/UNIT}: report as soon as one endpoint has {@code count} events of
 * {@code kind} within {@code intervalNanos}. Config-side (no bootstrap classes), turned into the recorder's
 * trigger when recording starts.
 *
 * @param kind          {@code reconnects} or {@code failedConnects}
 * @param count         events within one interval that fire it, 1 or more
 * @param intervalNanos the rate's unit ({@code /min}) or an explicit interval ({@code /30s})
 * @param text          the value as given
 */
public record TriggerRule(String kind, int count, long intervalNanos, String text) {

    static final String[] KINDS = {"reconnects", "failedConnects"};

    @Override
    public String toString() {
        return text;
    }
}
