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
 * A redis-server of a test's own, on a free loopback port, with the test's configuration (e.g. {@code --timeout 1}),
 * nothing written to disk. The binary is {@code SOCKTRACE_REDIS_SERVER} or {@code /usr/bin/redis-server}; without
 * one the test is skipped, or fails under {@code SOCKTRACE_STRICT=1}.
 */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path dir, String... options) throws IOException, InterruptedException {
        String configured = System.getenv("SOCKTRACE_REDIS_SERVER");
        Path binary = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/redis-server");
        if (!Files.isExecutable(binary)) {
            if ("1".equals(System.getenv("SOCKTRACE_STRICT"))) {
                fail("redis-server not found at " + binary + " (SOCKTRACE_REDIS_SERVER)");
            }
            assumeTrue(false, "redis-server not found at " + binary);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--port",
                String.valueOf(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "",
                "--dir", dir.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-server.log").toFile()).start();
        RedisServer server = new RedisServer(process, port);
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
        fail("redis-server did not listen on " + port + ": " + Files.readString(dir.resolve("redis-server.log")));
        return null;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
