package io.socktrace.scenario;

import java.net.Socket;

/** The server answers once and closes; the client reads to end of stream, then closes its side. */
public final class PeerClose {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE)) {
            System.out.println("port=" + server.port());
            Socket socket = Client.connect(server.port());
            System.out.println("answer=" + Client.request(socket));
            System.out.println("eof=" + (socket.getInputStream().read() == -1));
            onEndOfStream(socket);
        }
    }

    static void onEndOfStream(Socket socket) throws Exception {
        socket.close();
    }
}
