package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * A {@code SocketChannel} used through its socket adaptor, as old blocking code does: connect with a timeout,
 * {@code SO_TIMEOUT} 200 ms, the server never answers, the read times out, the adaptor is closed.
 */
public final class AdaptorTimeout {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.SILENT)) {
            System.out.println("port=" + server.port());
            Socket socket = SocketChannel.open().socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
            socket.setSoTimeout(200);
            socket.getOutputStream().write("request\n".getBytes());
            try {
                socket.getInputStream().read();
            } catch (SocketTimeoutException expected) {
                System.out.println("timeout=true");
                giveUp(socket);
            }
        }
    }

    static void giveUp(Socket socket) throws Exception {
        socket.close();
    }
}
