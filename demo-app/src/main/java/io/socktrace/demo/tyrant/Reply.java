package io.socktrace.demo.tyrant;

import io.socktrace.demo.protocol.CrlfLineReader;

/**
 * What the server sends back for one command, and when.
 *
 * @param bytes           the reply; empty for {@code noreply}
 * @param delayMillis     how long to hold the reply back (the "slow server" behaviour)
 * @param closeConnection whether to close the connection after sending it
 */
record Reply(byte[] bytes, long delayMillis, boolean closeConnection) {

    private static final byte[] NOTHING = new byte[0];

    static Reply line(String text) {
        return new Reply(CrlfLineReader.line(text), 0, false);
    }

    static Reply lateLine(String text, long delayMillis) {
        return new Reply(CrlfLineReader.line(text), delayMillis, false);
    }

    static Reply bytes(byte[] bytes) {
        return new Reply(bytes, 0, false);
    }

    static Reply none() {
        return new Reply(NOTHING, 0, false);
    }

    /** Reply with a line, then close: used when the framing can no longer be trusted. */
    static Reply lineThenClose(String text) {
        return new Reply(CrlfLineReader.line(text), 0, true);
    }

    static Reply closeSilently() {
        return new Reply(NOTHING, 0, true);
    }

    boolean isLate() {
        return delayMillis > 0;
    }
}
