package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Many threads opening and closing many connections to several server ports, with read timeouts and peer closes
 * mixed in, counting the ground truth per port: connections made, and how each ended. Connection {@code i}
 * (numbered per thread) asks the server to stay silent when {@code i % 50 == 7} (the client's 20 ms read timeout
 * fires, then it closes), to answer and close when {@code i % 10 == 3} (the client reads end of stream, then
 * closes), and otherwise to answer (the client closes with no error).
 *
 * <p>Arguments: threads, connections in total, server ports. Prints {@code port.N=PORT} and per port
 * {@code opened.N}, {@code timeouts.N}, {@code eofs.N}, {@code clean.N}, and {@code failed} (expected 0).
 */
public final class MixedLoad {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int total = Integer.parseInt(args[1]);
        int portCount = Integer.parseInt(args[2]);
        List<ModeServer> servers = new ArrayList<>();
        for (int p = 0; p < portCount; p++) {
            ModeServer server = new ModeServer(Math.max(threads * 2 / portCount, 8));
            servers.add(server);
            System.out.println("port." + p + "=" + server.port());
        }
        AtomicLongArray opened = new AtomicLongArray(portCount);
        AtomicLongArray timeouts = new AtomicLongArray(portCount);
        AtomicLongArray eofs = new AtomicLongArray(portCount);
        AtomicLongArray clean = new AtomicLongArray(portCount);
        AtomicLongArray failed = new AtomicLongArray(1);
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            int share = total / threads + (t < total % threads ? 1 : 0);
            Thread client = new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    int port = (thread + i) % portCount;
                    char mode = i % 50 == 7 ? 's' : i % 10 == 3 ? 'c' : 'a';
                    try {
                        Socket socket = Client.connect(servers.get(port).port());
                        opened.incrementAndGet(port);
                        socket.setSoTimeout(mode == 's' ? 20 : 10_000);
                        socket.getOutputStream().write(new byte[] {(byte) mode, '\n'});
                        InputStream in = socket.getInputStream();
                        try {
                            Client.readLine(in);
                            if (mode == 'c') {
                                if (in.read() == -1) {
                                    eofs.incrementAndGet(port);
                                }
                            } else {
                                clean.incrementAndGet(port);
                            }
                        } catch (SocketTimeoutException expected) {
                            timeouts.incrementAndGet(port);
                        }
                        socket.close();
                    } catch (IOException e) {
                        failed.incrementAndGet(0);
                        System.out.println("error: " + e);
                    }
                }
            }, "load-client-" + t);
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join(TimeUnit.MINUTES.toMillis(5));
        }
        for (int p = 0; p < portCount; p++) {
            System.out.println("opened." + p + "=" + opened.get(p));
            System.out.println("timeouts." + p + "=" + timeouts.get(p));
            System.out.println("eofs." + p + "=" + eofs.get(p));
            System.out.println("clean." + p + "=" + clean.get(p));
        }
        System.out.println("failed=" + failed.get(0));
        for (ModeServer server : servers) {
            server.close();
        }
    }
}
