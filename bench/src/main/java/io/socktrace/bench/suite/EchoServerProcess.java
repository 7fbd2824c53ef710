package io.socktrace.bench.suite;

import java.io.IOException;
import java.util.List;

/** The echo server JVM (never with the agent) for one workload's runs; its ports come from its first line. */
final class EchoServerProcess implements AutoCloseable {

    /** The server outlives no suite: it exits when its standard input closes, and after this at the latest. */
    private static final long MAX_SECONDS = 1800;

    private final ChildProcess process;
    private final int echoPort;
    private final int silentPort;

    private EchoServerProcess(ChildProcess process, int echoPort, int silentPort) {
        this.process = process;
        this.echoPort = echoPort;
        this.silentPort = silentPort;
    }

    static EchoServerProcess start(Launcher launcher, boolean pinned, int threads)
            throws IOException, InterruptedException {
        List<String> command = launcher.java(pinned, List.of("-Xms256m", "-Xmx256m"),
                "io.socktrace.bench.wire.EchoServer", threads, MAX_SECONDS);
        ChildProcess process = ChildProcess.start(command, launcher.stderrFile("server"));
        try {
            String[] ports = process.awaitLine(l -> l.startsWith("ports "), 60_000).text().split(" ");
            return new EchoServerProcess(process, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
        } catch (IOException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    int echoPort() {
        return echoPort;
    }

    int silentPort() {
        return silentPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
