package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A text report as written by the agent, read the way a person would: by endpoint block and labelled line. */
public final class Report {

    private final String text;

    public Report(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The block of connections this JVM made to {@code key} ({@code 127.0.0.1:11211}). */
    public Block endpoint(String key) {
        return block(key + "   ");
    }

    /** The block of connections this JVM accepted on the listening address {@code key}. */
    public Block accepted(String key) {
        return block(key + " (accepted)   ");
    }

    /** Whether the report has a block for connections made to {@code key}. */
    public boolean hasEndpoint(String key) {
        return text.lines().anyMatch(line -> isHeading(line, key + "   "));
    }

    private static boolean isHeading(String line, String start) {
        return !line.startsWith(" ") && (line.startsWith(start) || line.contains("/" + start));
    }

    private Block block(String heading) {
        String key = heading.trim();
        String[] lines = text.split("\n");
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null) {
                if (isHeading(line, heading)) {
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
        return new Block(block.toString(), text);
    }

    /** A number that follows {@code label} anywhere in the report ({@code "opened"} in the header line). */
    public long headerNumber(String pattern) {
        return Block.number(text, pattern, text);
    }

    @Override
    public String toString() {
        return text;
    }

    /** One endpoint's lines. */
    public static final class Block {

        private final String text;
        private final String report;

        Block(String text, String report) {
            this.text = text;
            this.report = report;
        }

        public String text() {
            return text;
        }

        /** The first integer matched by group 1 of {@code pattern}, e.g. {@code "opened (\\d+)"}. */
        public long number(String pattern) {
            return number(text, pattern, report);
        }

        /**
         * The rest of the line starting with the label ({@code "verdict"}, {@code "closed by"}), joined with its
         * wrapped continuation lines (those indented exactly to the text column).
         */
        public String line(String label) {
            Matcher m = Pattern.compile("(?m)^(\\s+" + Pattern.quote(label) + "\\s+)(.*)$").matcher(text);
            if (!m.find()) {
                fail("no '" + label + "' line in endpoint block:\n" + text + "\nreport:\n" + report);
            }
            StringBuilder joined = new StringBuilder(m.group(2));
            Pattern continuation = Pattern.compile("^ {" + m.group(1).length() + "}(\\S.*)$");
            String[] rest = text.substring(m.end()).split("\n");
            for (int i = 1; i < rest.length; i++) {
                Matcher c = continuation.matcher(rest[i]);
                if (!c.matches()) {
                    break;
                }
                joined.append(' ').append(c.group(1));
            }
            return joined.toString();
        }

        public boolean has(String label) {
            return Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s").matcher(text).find();
        }

        static long number(String text, String pattern, String report) {
            Matcher m = Pattern.compile(pattern).matcher(text);
            if (!m.find()) {
                fail("no match for /" + pattern + "/ in:\n" + text + "\nreport:\n" + report);
            }
            return Long.parseLong(m.group(1));
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
