package io.socktrace.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The JDK's resets as each API reports them on a write after the peer reset, none with a type of its own: a
 * {@code SocketChannel}'s plain {@code IOException} ("Broken pipe", or "Connection reset by peer") and a
 * {@code Socket}'s {@code SocketException} ("Broken pipe" or "Connection reset"). A read after a reset is
 * {@code ResetAndRetry}'s. Each against its own server port, which resets every connection
 * after its first line (SO_LINGER 0). Prints what the application saw.
 */
public final class ResetKinds {

    public static void main(String[] args) throws Exception {
        try (ServerSocket channelServer = resetter(); ServerSocket socketServer = resetter()) {
            System.out.println("channelPort=" + channelServer.getLocalPort());
            System.out.println("socketPort=" + socketServer.getLocalPort());
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    channelServer.getLocalPort()))) {
                channel.write(ByteBuffer.wrap("request\n".getBytes()));
                Thread.sleep(200); // the reset arrives
                for (int i = 0; i < 100; i++) {
                    channel.write(ByteBuffer.wrap(new byte[1024]));
                    Thread.sleep(5);
                }
                System.out.println("channelWrite=no error");
            } catch (IOException e) {
                System.out.println("channelWrite=" + e.getClass().getName() + ": " + e.getMessage());
            }
            try (Socket socket = Client.connect(socketServer.getLocalPort())) {
                socket.getOutputStream().write("request\n".getBytes());
                Thread.sleep(200); // the reset arrives
                for (int i = 0; i < 100; i++) {
                    socket.getOutputStream().write(new byte[1024]);
                    Thread.sleep(5);
                }
                System.out.println("socketWrite=no error");
            } catch (IOException e) {
                System.out.println("socketWrite=" + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    private static ServerSocket resetter() throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> ResetAndRetry.resetEachClient(server), "resetter-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return server;
    }
}
