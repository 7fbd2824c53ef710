package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Abortive closes: a {@code Socket} with {@code setSoLinger(true, 0)} after connecting and a {@code SocketChannel}
 * with {@code SO_LINGER} 0 set before connecting each close while the server is blocked reading, so that the
 * server's read fails with "Connection reset" (printed: the precondition); a plain close of a third connection,
 * the control, gives the server end of stream.
 */
public final class LingerZeroClose {

    public static void main(String[] args) throws Exception {
        try (PeerServer socketServer = new PeerServer(); PeerServer channelServer = new PeerServer();
             PeerServer plainServer = new PeerServer()) {
            System.out.println("socketPort=" + socketServer.port());
            System.out.println("channelPort=" + channelServer.port());
            System.out.println("plainPort=" + plainServer.port());

            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socketServer.port()), 2_000);
            socket.setSoLinger(true, 0);
            System.out.println("socketAnswer=" + Client.request(socket, "hello"));
            abort(socket);
            System.out.println("socketPeerSaw=" + socketServer.outcome());

            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), channelServer.port()));
            channel.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(16);
            for (int reads = 0; reads < 100 && answer.position() < 3 && channel.read(answer) > 0; reads++) {
                // the answer line, "ok\n"
            }
            System.out.println("channelAnswer=" + new String(answer.array(), 0, answer.position(),
                    StandardCharsets.US_ASCII).trim());
            abort(channel);
            System.out.println("channelPeerSaw=" + channelServer.outcome());

            Socket plain = Client.connect(plainServer.port());
            System.out.println("plainAnswer=" + Client.request(plain, "hello"));
            plain.close();
            System.out.println("plainPeerSaw=" + plainServer.outcome());
        }
    }

    static void abort(Socket socket) throws IOException {
        socket.close();
    }

    static void abort(SocketChannel channel) throws IOException {
        channel.close();
    }

    /** Answers one line with {@code ok}, then reads on and tells how its read ended: "end of stream" or the error. */
    static final class PeerServer implements AutoCloseable {

        private final ServerSocket server;
        private final BlockingQueue<String> outcomes = new ArrayBlockingQueue<>(4);

        PeerServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::serveOne, "peer-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String outcome() throws InterruptedException {
            String outcome = outcomes.poll(10, TimeUnit.SECONDS);
            return outcome == null ? "nothing within 10 s" : outcome;
        }

        private void serveOne() {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                Client.readLine(in);
                client.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    int next = in.read();
                    outcomes.add(next == -1 ? "end of stream" : "byte " + next);
                } catch (SocketException e) {
                    outcomes.add(e.getMessage());
                }
            } catch (IOException e) {
                outcomes.add("server error: " + e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
