package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A text report as written by the agent, for the few end-to-end checks that the text format is written at all.
 * Facts are read from the JSON report ({@link ReportJson}); the text's wording is pinned in {@code TextReportTest}.
 */
public final class Report {

    private final String text;

    public Report(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The block of connections this JVM made to {@code key} ({@code 127.0.0.1:11211}): its heading line on. */
    public Block endpoint(String key) {
        String[] lines = text.split("\n");
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null) {
                if (isHeading(line, key)) {
                    block = new StringBuilder(line).append('\n');
                }
            } else if (line.isEmpty()) {
                break;
            } else {
                block.append(line).append('\n');
            }
        }
        if (block == null) {
            fail("no endpoint " + key + " in report:\n" + text);
        }
        return new Block(block.toString());
    }

    /** Whether the report has a block for connections made to {@code key}. */
    public boolean hasEndpoint(String key) {
        return text.lines().anyMatch(line -> isHeading(line, key));
    }

    /** {@code 127.0.0.1:11211   ...} or, named, {@code localhost/127.0.0.1:11211   ...}; not the accepted side. */
    private static boolean isHeading(String line, String key) {
        String start = key + "   ";
        return !line.startsWith(" ") && (line.startsWith(start) || line.contains("/" + start));
    }

    @Override
    public String toString() {
        return text;
    }

    /** One endpoint's lines. */
    public static final class Block {

        private final String text;

        Block(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
