package io.socktrace.demo.protocol;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the memcached text protocol from a stream: command and reply lines ended by CRLF, and
 * data blocks of a known length followed by CRLF. Lines are ASCII; both limits protect against a
 * peer that never sends a line end.
 */
public final class CrlfLineReader {

    private final InputStream in;
    private final int maxLineLength;

    public CrlfLineReader(InputStream in, int maxLineLength) {
        this.in = new BufferedInputStream(in);
        this.maxLineLength = maxLineLength;
    }

    /**
     * Returns the next line without its CRLF, or {@code null} if the stream ended cleanly before a
     * new line began.
     */
    public String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        // Bounded: at most maxLineLength characters plus the CRLF.
        for (int count = 0; count <= maxLineLength + 1; count++) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xFF));
        }
        throw new ProtocolException("line longer than " + maxLineLength + " characters");
    }

    /** Reads exactly {@code length} data bytes and the CRLF that must follow them. */
    public byte[] readDataBlock(int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("stream ended inside a data block");
        }
        int cr = in.read();
        int lf = in.read();
        if (cr != '\r' || lf != '\n') {
            throw new ProtocolException("data block not followed by CRLF");
        }
        return data;
    }

    /** Encodes a protocol line (ASCII) with its CRLF. */
    public static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
