package io.socktrace.scenario;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM that keeps opening, using and closing connections (one every 20 ms) until the file given as argument
 * exists or 90 s have passed: a target for attach, report and detach. Prints a line per connection.
 */
public final class Churner {

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        long deadline = System.nanoTime() + 90_000_000_000L;
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int n = 1; System.nanoTime() < deadline && !Files.exists(stop); n++) {
                try (Socket socket = Client.connect(server.port())) {
                    Client.request(socket);
                }
                System.out.println("connection=" + n);
                Thread.sleep(20);
            }
        }
    }
}
