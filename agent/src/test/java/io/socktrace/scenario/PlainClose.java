package io.socktrace.scenario;

import java.net.Socket;

/**
 * Opens a connection, makes one request, closes it with no error: three times, the second time through the
 * socket's input stream and the third twice over (stream, then socket), which must still be one close each.
 */
public final class PlainClose {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < 3; i++) {
                Socket socket = Client.connect(server.port());
                System.out.println("answer=" + Client.request(socket));
                release(socket, i);
            }
        }
    }

    static void release(Socket socket, int how) throws Exception {
        if (how == 0) {
            socket.close();
        } else if (how == 1) {
            socket.getInputStream().close();
        } else {
            socket.getOutputStream().close();
            socket.close();
        }
    }
}
