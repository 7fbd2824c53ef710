package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Half-closes: a {@code Socket}, a {@code SocketChannel} and an {@code AsynchronousSocketChannel} each send a request, {@code shutdownOutput} (the
 * server reads end of stream, which is how it knows the request is complete), read the answer to end of stream
 * and close; one more {@code Socket} shuts its input down (its read returns -1 at once) and closes. The server counts the bytes it read
 * before end of stream and answers {@code got N}.
 */
public final class HalfClose {

    public static void main(String[] args) throws Exception {
        try (CountingServer socketServer = new CountingServer(); CountingServer channelServer = new CountingServer();
             CountingServer asyncServer = new CountingServer()) {
            System.out.println("socketPort=" + socketServer.port());
            System.out.println("channelPort=" + channelServer.port());
            System.out.println("asyncPort=" + asyncServer.port());

            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socketServer.port()), 2_000);
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            finishRequest(socket);
            System.out.println("socketAnswer=" + readAll(socket.getInputStream()));
            socket.close();

            SocketChannel channel = SocketChannel.open(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), channelServer.port()));
            channel.write(ByteBuffer.wrap("hello channel\n".getBytes(StandardCharsets.US_ASCII)));
            finishRequest(channel);
            ByteBuffer buffer = ByteBuffer.allocate(256);
            for (int reads = 0; reads < 100 && channel.read(buffer) != -1; reads++) {
                // to end of stream
            }
            System.out.println("channelAnswer=" + new String(buffer.array(), 0, buffer.position(),
                    StandardCharsets.US_ASCII).trim());
            channel.close();

            try (AsynchronousSocketChannel async = AsynchronousSocketChannel.open()) {
                async.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), asyncServer.port()))
                        .get(10, TimeUnit.SECONDS);
                async.write(ByteBuffer.wrap("hi async\n".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
                async.shutdownOutput();
                ByteBuffer answer = ByteBuffer.allocate(256);
                for (int reads = 0; reads < 100 && async.read(answer).get(10, TimeUnit.SECONDS) != -1; reads++) {
                    // to end of stream
                }
                System.out.println("asyncAnswer=" + new String(answer.array(), 0, answer.position(),
                        StandardCharsets.US_ASCII).trim());
            }

            Socket deaf = new Socket();
            deaf.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socketServer.port()), 2_000);
            InputStream deafIn = deaf.getInputStream(); // Socket refuses to give it after shutdownInput
            deaf.shutdownInput();
            System.out.println("deafRead=" + deafIn.read());
            deaf.close();
        }
    }

    /** The request is complete: FIN sent, the connection stays open for the answer. */
    static void finishRequest(Socket socket) throws IOException {
        socket.shutdownOutput();
    }

    static void finishRequest(SocketChannel channel) throws IOException {
        channel.shutdownOutput();
    }

    static String readAll(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(4096);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }

    /** Reads each connection to end of stream, answers {@code got N} and closes. */
    static final class CountingServer implements AutoCloseable {

        private final ServerSocket server;

        CountingServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "counting-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            for (int accepted = 0; accepted < 100; accepted++) {
                try (Socket client = server.accept()) {
                    byte[] request = client.getInputStream().readNBytes(1 << 16);
                    try {
                        client.getOutputStream().write(("got " + request.length + "\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException inputShutDown) {
                        // the client that shut its input down may reset the answer
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
