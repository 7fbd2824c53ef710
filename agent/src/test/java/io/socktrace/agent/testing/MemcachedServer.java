package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memcached of a test's own, on a free loopback port, with the test's options (e.g. {@code -o idle_timeout=1}),
 * TCP only. The binary is {@code SOCKTRACE_MEMCACHED_SERVER} or {@code /usr/bin/memcached}; without one the test
 * is skipped, or fails under {@code SOCKTRACE_STRICT=1}.
 */
public final class MemcachedServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private MemcachedServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MemcachedServer start(Path dir, String... options) throws IOException, InterruptedException {
        String configured = System.getenv("SOCKTRACE_MEMCACHED_SERVER");
        Path binary = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/memcached");
        if (!Files.isExecutable(binary)) {
            if ("1".equals(System.getenv("SOCKTRACE_STRICT"))) {
                fail("memcached not found at " + binary + " (SOCKTRACE_MEMCACHED_SERVER)");
            }
            assumeTrue(false, "memcached not found at " + binary);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-l", "127.0.0.1", "-p",
                String.valueOf(port), "-U", "0"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody")); // memcached refuses to run as root without a user
        }
        command.addAll(List.of(options));
        Path log = dir.resolve("memcached.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MemcachedServer server = new MemcachedServer(process, port);
        for (int i = 0; i < 200; i++) { // up to 10 s for it to listen
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return server;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        server.close();
        fail("memcached did not listen on " + port + ": " + Files.readString(log));
        return null;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
