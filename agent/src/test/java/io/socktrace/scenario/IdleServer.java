package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The mirror image of the original story: servers that drop idle clients. A {@code ServerSocket} server and a
 * {@code ServerSocketChannel} server each answer one request, then close the connection when the client has
 * been idle for 200 ms; a client connects to each three times and waits to be dropped.
 */
public final class IdleServer {

    static final int IDLE_MILLIS = 200;

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocketChannel channelServer = ServerSocketChannel.open()) {
            channelServer.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int channelPort = ((java.net.InetSocketAddress) channelServer.getLocalAddress()).getPort();
            System.out.println("port=" + server.getLocalPort());
            System.out.println("channelPort=" + channelPort);
            daemon(() -> serveSockets(server));
            daemon(() -> serveChannels(channelServer));
            int dropped = 0;
            for (int i = 0; i < 3; i++) {
                dropped += waitToBeDropped(server.getLocalPort()) ? 1 : 0;
                dropped += waitToBeDropped(channelPort) ? 1 : 0;
            }
            System.out.println("dropped=" + dropped);
        }
    }

    static boolean waitToBeDropped(int port) throws IOException {
        try (Socket socket = Client.connect(port)) {
            socket.setSoTimeout(5_000);
            Client.request(socket);
            return socket.getInputStream().read() == -1;
        }
    }

    static void serveSockets(ServerSocket server) {
        for (int i = 0; i < 100; i++) {
            try {
                Socket client = server.accept();
                client.setSoTimeout(IDLE_MILLIS);
                InputStream in = client.getInputStream();
                try {
                    Client.readLine(in);
                    client.getOutputStream().write("ok\n".getBytes());
                    in.read();
                } catch (SocketTimeoutException idle) {
                    dropIdleClient(client);
                }
            } catch (IOException stopped) {
                return;
            }
        }
    }

    static void dropIdleClient(Socket client) throws IOException {
        client.close();
    }

    static void serveChannels(ServerSocketChannel server) {
        for (int i = 0; i < 100; i++) {
            try {
                SocketChannel client = server.accept();
                Socket adaptor = client.socket();
                adaptor.setSoTimeout(IDLE_MILLIS);
                try {
                    Client.readLine(adaptor.getInputStream());
                    client.write(ByteBuffer.wrap("ok\n".getBytes()));
                    adaptor.getInputStream().read();
                } catch (SocketTimeoutException idle) {
                    dropIdleChannel(client);
                }
            } catch (IOException stopped) {
                return;
            }
        }
    }

    static void dropIdleChannel(SocketChannel client) throws IOException {
        client.close();
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "idle-server");
        thread.setDaemon(true);
        thread.start();
    }
}
