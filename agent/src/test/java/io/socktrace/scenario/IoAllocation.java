package io.socktrace.scenario;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes this thread allocates over a loop of one-byte writes and reads, per kind of connection: a socket pair and a
 * channel pair over loopback (tracked), and a Unix domain channel pair (never tracked: every read and write is a
 * table miss). With {@code fill}, 20 connections are opened and held first, so that under {@code maxConnections=16}
 * the measured ones are untracked too. Prints {@code alloc.<kind>=<bytes>}, the least of several rounds after a
 * warm-up, so that only what every round allocates counts (not the JIT's or class loading's one-off work).
 */
public final class IoAllocation {

    static final int ROUNDS = 5;
    static final int ITERATIONS = 20_000;

    interface Exchange {
        void once() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<AutoCloseable> held = new ArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            if (args.length > 0 && args[0].equals("fill")) {
                for (int i = 0; i < 20; i++) {
                    held.add(new Socket(loopback, server.getLocalPort()));
                    held.add(server.accept());
                }
            }
            Socket client = new Socket(loopback, server.getLocalPort());
            Socket accepted = server.accept();
            held.add(client);
            held.add(accepted);
            measure("socket", streams(client.getOutputStream(), accepted.getInputStream(), accepted.getOutputStream(),
                    client.getInputStream()));
        }
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            held.add(client);
            held.add(accepted);
            measure("channel", channels(client, accepted));
        }
        Path dir = Files.createTempDirectory("socktrace-alloc");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address)) {
            SocketChannel client = SocketChannel.open(address);
            SocketChannel accepted = server.accept();
            held.add(client);
            held.add(accepted);
            measure("unix", channels(client, accepted));
        } finally {
            Files.deleteIfExists(address.getPath());
            Files.deleteIfExists(dir);
        }
        for (AutoCloseable c : held) {
            c.close();
        }
    }

    static Exchange streams(OutputStream out, InputStream in, OutputStream back, InputStream answer) {
        byte[] one = new byte[1];
        return () -> {
            out.write(one, 0, 1);
            in.read(one, 0, 1);
            back.write(one, 0, 1);
            answer.read(one, 0, 1);
        };
    }

    static Exchange channels(SocketChannel client, SocketChannel accepted) {
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        return () -> {
            exchange(client, accepted, one);
            exchange(accepted, client, one);
        };
    }

    static void exchange(SocketChannel from, SocketChannel to, ByteBuffer one) throws Exception {
        one.clear();
        from.write(one);
        one.clear();
        to.read(one);
    }

    static void measure(String kind, Exchange exchange) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = -3; round < ROUNDS; round++) { // three warm-up rounds: the JIT compiles the loop
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ITERATIONS; i++) {
                exchange.once();
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (round >= 0) {
                least = Math.min(least, bytes);
            }
        }
        System.out.println("alloc." + kind + "=" + least);
    }
}
