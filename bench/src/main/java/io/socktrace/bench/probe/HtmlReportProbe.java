package io.socktrace.bench.probe;

import io.socktrace.bench.wire.Lifetime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of the {@code html-10k} row, in two JVMs so that the agent records one side only:
 * <ul>
 *   <li>{@code serve ENDPOINTS MAX_SECONDS} (without the agent): listens on ENDPOINTS loopback ports, answers each
 *       byte with itself and closes once the client has; prints {@code ports P1,P2,...};</li>
 *   <li>{@code connect P1,P2,... CONNECTIONS MAX_SECONDS} (with the agent, whose report goes to a file at exit):
 *       makes CONNECTIONS connections spread evenly over the ports, one after the other, each one request and its
 *       answer; every other one half-closes first and reads the server's end of stream (so the picture has two
 *       causes), the rest just close. Then opens one more per port and leaves it open, so the report also has
 *       connections still open; prints {@code made N open M} and returns, and the agent writes its report.</li>
 * </ul>
 */
public final class HtmlReportProbe {

    private HtmlReportProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            Lifetime.exitWithParent(Long.parseLong(args[2]));
            serve(Integer.parseInt(args[1]));
        } else {
            Lifetime.exitWithParent(Long.parseLong(args[3]));
            connect(args[1].split(","), Integer.parseInt(args[2]));
        }
    }

    private static void serve(int endpoints) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < endpoints; i++) {
            ServerSocket server = new ServerSocket(0, 512, loopback);
            ports.append(i == 0 ? "" : ",").append(server.getLocalPort());
            Thread acceptor = new Thread(() -> accept(server), "serve-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }
        System.out.println("ports " + ports);
        System.out.flush();
        Thread.currentThread().join(); // until the driver closes standard input or the lifetime ends
    }

    private static void accept(ServerSocket server) {
        while (true) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                }
            } catch (IOException clientWentAway) {
                // the next one
            }
        }
    }

    private static void connect(String[] ports, int connections) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < connections; i++) {
            try (Socket socket = new Socket(loopback, Integer.parseInt(ports[i % ports.length]))) {
                socket.setSoTimeout(10_000);
                request(socket);
                if (i % 2 == 0) {
                    socket.shutdownOutput();
                    if (socket.getInputStream().read() >= 0) {
                        throw new IOException("the server answered after the half-close");
                    }
                }
            }
        }
        List<Socket> open = new ArrayList<>();
        for (String port : ports) {
            Socket socket = new Socket(loopback, Integer.parseInt(port));
            request(socket);
            open.add(socket);
        }
        System.out.println("made " + connections + " open " + open.size());
        System.out.flush();
        // returns with them open: the agent's report at exit has them as still open
    }

    private static void request(Socket socket) throws IOException {
        socket.getOutputStream().write(7);
        if (socket.getInputStream().read() != 7) {
            throw new IOException("no answer");
        }
    }
}
