package io.socktrace.scenario;

import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A test agent listed before socktrace on the command line: it uses sockets in its own premain, so
 * {@code NioSocketImpl} is already loaded (and must be retransformed) when socktrace installs.
 */
public final class EarlySocketAgent {

    private EarlySocketAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            boolean loaded = false;
            for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                loaded |= c.getName().equals("sun.nio.ch.NioSocketImpl");
            }
            System.out.println("earlyLoaded=" + loaded + " early=" + socket.getLocalPort());
        }
    }
}
