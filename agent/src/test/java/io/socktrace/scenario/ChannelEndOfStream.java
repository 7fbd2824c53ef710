package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A blocking {@code SocketChannel}: one request, the server answers and closes, the client reads to -1, closes. */
public final class ChannelEndOfStream {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE)) {
            System.out.println("port=" + server.port());
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            channel.write(ByteBuffer.wrap("request\n".getBytes()));
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int total = 0;
            for (int n, reads = 0; (n = channel.read(buffer)) != -1 && reads < 100; reads++) {
                total += n;
            }
            System.out.println("bytes=" + total);
            onPeerClosed(channel);
        }
    }

    static void onPeerClosed(SocketChannel channel) throws Exception {
        channel.close();
    }
}
