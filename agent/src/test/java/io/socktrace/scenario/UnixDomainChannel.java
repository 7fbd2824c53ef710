package io.socktrace.scenario;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Unix domain socket over {@code SocketChannel} (socket file in the directory given as the argument): connect,
 * write, read the echo, close both ends. Not TCP, so socktrace must record nothing.
 */
public final class UnixDomainChannel {

    public static void main(String[] args) throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(Path.of(args[0]).resolve("scenario.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                System.out.println("connected=" + client.connect(address));
                try (SocketChannel accepted = server.accept()) {
                    client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
                    String received = readLine(accepted);
                    accepted.write(ByteBuffer.wrap(("echo " + received + "\n").getBytes(StandardCharsets.US_ASCII)));
                    System.out.println("answer=" + readLine(client));
                }
                // the server end is closed: the client now reads end of stream, still nothing for socktrace
                System.out.println("eof=" + (client.read(ByteBuffer.allocate(1)) == -1));
            }
        }
    }

    /** Reads up to a newline; blocking channels, loopback, a few bytes: bounded by the 64-byte buffer. */
    private static String readLine(SocketChannel channel) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            if (buffer.get(buffer.position() - 1) == '\n') {
                break;
            }
        }
        return new String(buffer.array(), 0, Math.max(0, buffer.position() - 1), StandardCharsets.US_ASCII);
    }
}
