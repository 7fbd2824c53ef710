package io.socktrace.scenario;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * Errors that end connections: a server that resets the connection (SO_LINGER 0) while a request is
 * outstanding, so the client's read fails with "Connection reset"; then a retry storm: the client retries a
 * server that is down five times, refused each time, until it is back.
 */
public final class ResetAndRetry {

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("port=" + server.getLocalPort());
            Thread resetter = new Thread(() -> resetEachClient(server), "resetter");
            resetter.setDaemon(true);
            resetter.start();
            try (Socket socket = Client.connect(server.getLocalPort())) {
                Client.request(socket);
                System.out.println("reset=none");
            } catch (SocketException e) {
                System.out.println("reset=" + e.getMessage());
            }
        }

        int port = LoopbackPorts.unused();
        System.out.println("retryPort=" + port);
        int refused = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Client.connect(port).close();
            } catch (ConnectException downStill) {
                refused++;
                Thread.sleep(10);
            }
        }
        try (ServerSocket back = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             Socket socket = Client.connect(port)) {
            System.out.println("refused=" + refused + " thenConnected=" + socket.isConnected());
        }
    }

    static void resetEachClient(ServerSocket server) {
        try (Socket client = server.accept()) {
            Client.readLine(client.getInputStream());
            client.setSoLinger(true, 0); // close sends RST instead of FIN
        } catch (IOException stopped) {
            // the scenario is over
        }
    }
}
