package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Connect timeouts on loopback: a server with a backlog of 1 that never accepts. Linux completes backlog + 1
 * handshakes and then drops further SYNs (with the default {@code tcp_abort_on_overflow=0}), so the next
 * connects time out.
 */
public final class ConnectTimeout {

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("port=" + server.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            int timeouts = 0;
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
                    queued.add(socket);
                } catch (SocketTimeoutException expected) {
                    timeouts++;
                }
            }
            System.out.println("queued=" + queued.size());
            System.out.println("timeouts=" + timeouts);
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }
}
