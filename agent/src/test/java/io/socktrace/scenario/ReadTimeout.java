package io.socktrace.scenario;

import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The original story in miniature: the server never answers, the read times out after {@code SO_TIMEOUT}, and
 * the client gives up on the connection and opens a new one at once, twice.
 */
public final class ReadTimeout {

    static final int SO_TIMEOUT_MILLIS = 300;

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.SILENT)) {
            System.out.println("port=" + server.port());
            int timeouts = 0;
            for (int i = 0; i < 2; i++) {
                Socket socket = Client.connect(server.port());
                socket.setSoTimeout(SO_TIMEOUT_MILLIS);
                try {
                    Client.request(socket);
                } catch (SocketTimeoutException expected) {
                    timeouts++;
                    giveUp(socket);
                }
            }
            System.out.println("timeouts=" + timeouts);
        }
    }

    static void giveUp(Socket socket) throws Exception {
        socket.close();
    }
}
