package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connections from one thread to 127.0.0.1 and to ::1 in turn, each made with one request and closed, with a server
 * socket bound on the same thread in between: each connect's local address must be its own, never the one read
 * for the connect or the bind before it.
 */
public final class LocalAddresses {

    public static void main(String[] args) throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        try (LoopbackServer four = new LoopbackServer(LoopbackServer.Behaviour.ANSWER, v4);
             LoopbackServer six = new LoopbackServer(LoopbackServer.Behaviour.ANSWER, v6)) {
            System.out.println("port4=" + four.port());
            System.out.println("port6=" + six.port());
            for (int i = 0; i < 3; i++) {
                for (InetSocketAddress server : new InetSocketAddress[] {
                        new InetSocketAddress(v4, four.port()), new InetSocketAddress(v6, six.port())}) {
                    try (Socket socket = new Socket()) {
                        socket.connect(server, 2_000);
                        System.out.println("local=" + socket.getLocalAddress().getHostAddress());
                        System.out.println("answer=" + Client.request(socket));
                    }
                    try (ServerSocket bound = new ServerSocket(0, 1, i % 2 == 0 ? v6 : v4)) {
                        System.out.println("bound=" + bound.getLocalPort());
                    }
                }
            }
        }
    }
}
