package io.socktrace.scenario;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The case {@code attach} is for: a long-lived connection opened before the agent is loaded, which then times out
 * and is closed and reopened. Opens one connection ({@code Socket} or {@code SocketChannel}, per the first
 * argument) to a server in this JVM that never answers, prints {@code ready}, waits for the file named by the
 * second argument (created once the agent is attached), then three times writes a request, times out after
 * 300 ms, closes and reconnects; prints {@code done} and waits for the third argument's file before exiting.
 * Beside it, a second connection opened before the agent, to a second silent server ({@code heldPort}, local port
 * {@code heldLocalPort}), which writes one request once the agent is there and stays open to the end.
 */
public final class OpenBeforeAttach {

    public static void main(String[] args) throws Exception {
        boolean channel = args[0].equals("channel");
        Path go = Path.of(args[1]);
        Path stop = Path.of(args[2]);
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.SILENT);
             LoopbackServer heldServer = new LoopbackServer(LoopbackServer.Behaviour.SILENT)) {
            System.out.println("port=" + server.port());
            Connection connection = new Connection(channel, server.port());
            System.out.println("localPort=" + connection.localPort());
            Connection held = new Connection(channel, heldServer.port());
            System.out.println("heldPort=" + heldServer.port());
            System.out.println("heldLocalPort=" + held.localPort());
            System.out.println("ready");
            await(go);
            held.request(); // seen in use: taken in, open since before recording
            for (int cycle = 0; cycle < 3; cycle++) {
                connection.requestAndTimeOut();
                connection.close();
                connection = new Connection(channel, server.port());
            }
            System.out.println("done");
            await(stop);
            connection.close();
            held.close();
        }
    }

    private static void await(Path file) throws InterruptedException {
        for (int i = 0; i < 1_200 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
    }

    /** One connection of either kind, with a 300 ms read timeout. */
    private static final class Connection {

        private final Socket socket;
        private final SocketChannel channel;

        Connection(boolean useChannel, int port) throws Exception {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (useChannel) {
                channel = SocketChannel.open(address);
                socket = channel.socket();
            } else {
                channel = null;
                socket = new Socket();
                socket.connect(address, 2_000);
            }
            socket.setSoTimeout(300);
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void request() throws Exception {
            byte[] request = "get key\n".getBytes(StandardCharsets.US_ASCII);
            if (channel != null) {
                channel.write(ByteBuffer.wrap(request));
            } else {
                OutputStream out = socket.getOutputStream();
                out.write(request);
            }
        }

        void requestAndTimeOut() throws Exception {
            request();
            InputStream in = socket.getInputStream(); // for a channel, its adaptor's stream: SO_TIMEOUT applies
            try {
                in.read();
                throw new IllegalStateException("the silent server answered");
            } catch (SocketTimeoutException expected) {
                // what the client's failover reacts to: close and reconnect
            }
        }

        void close() throws Exception {
            if (channel != null) {
                channel.close();
            } else {
                socket.close();
            }
        }
    }
}
