package io.socktrace.bench.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The one message of every workload: 64 bytes, echoed back unchanged by the server. */
final class Message {

    static final int SIZE = 64;

    private Message() {
    }

    static byte[] request() {
        byte[] request = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            request[i] = (byte) ('a' + i % 26);
        }
        return request;
    }

    /** Reads exactly {@code buffer.length} bytes; false at end of stream before the first byte. */
    static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int done = 0;
        while (done < buffer.length) {
            int n = in.read(buffer, done, buffer.length - done);
            if (n < 0) {
                if (done == 0) {
                    return false;
                }
                throw new EOFException("end of stream inside a message");
            }
            done += n;
        }
        return true;
    }

    /** Fills {@code buffer} from a blocking channel. */
    static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("end of stream inside a message");
            }
        }
    }

    /** Writes all of {@code buffer} to a blocking channel. */
    static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        buffer.rewind();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
