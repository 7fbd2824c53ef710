package io.socktrace.scenario;

import java.net.Socket;

/**
 * Two endings no close reports: a connection the application drops without closing (garbage collected: a
 * leak), and one still open when the JVM exits.
 */
public final class LeakAndOpen {

    private static Socket stillOpen;

    public static void main(String[] args) throws Exception {
        try (LoopbackServer leakServer = new LoopbackServer(LoopbackServer.Behaviour.ANSWER);
             LoopbackServer openServer = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("leakPort=" + leakServer.port());
            System.out.println("openPort=" + openServer.port());
            leak(leakServer.port());
            for (int i = 0; i < 20; i++) { // the agent notices collected sockets when it next looks
                System.gc();
                Thread.sleep(25);
            }
            stillOpen = Client.connect(openServer.port());
            System.out.println("open=" + Client.request(stillOpen));
        }
    }

    /** Uses a connection and forgets it. */
    static void leak(int port) throws Exception {
        Socket socket = Client.connect(port);
        System.out.println("leaked=" + Client.request(socket));
    }
}
