package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The client side of the scenarios: one line out, one line back. */
final class Client {

    private Client() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        return socket;
    }

    /** Sends a request line and reads the answer line; returns null at end of stream. */
    static String request(Socket socket) throws IOException {
        return request(socket, "request");
    }

    static String request(Socket socket, String request) throws IOException {
        socket.getOutputStream().write((request + "\n").getBytes());
        return readLine(socket.getInputStream());
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }
}
