package io.socktrace.demo.tyrant;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process stand-in for Tokyo Tyrant speaking the memcached text protocol on a loopback
 * address, one daemon thread per connection. It answers every Nth {@code set} late (by default
 * every 6th, 1500 ms late: longer than the client's 1 s read timeout), which is what made the
 * original PHP client drop and reopen its "permanent" connection.
 */
public final class SlowMemcachedServer implements AutoCloseable {

    public static final int DEFAULT_LATE_EVERY_SET = 6;
    public static final long DEFAULT_LATE_REPLY_MILLIS = 1500;

    /** Far more than a demo run opens; only there so the accept loop is bounded. */
    private static final int MAX_CONNECTIONS = 100_000;
    private static final int BACKLOG = 50;
    private static final long STOP_JOIN_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(SlowMemcachedServer.class);

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final int lateEverySet;
    private final long lateReplyMillis;
    private final MemcachedCommands commands;
    private final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private ServerSocket serverSocket;
    private Thread acceptThread;

    /**
     * @param bindAddress     must be a loopback address
     * @param port            0 for an ephemeral port
     * @param lateEverySet    every this many {@code set}s (server-wide) one is answered late; 0 = never
     * @param lateReplyMillis how late
     */
    public SlowMemcachedServer(InetAddress bindAddress, int port, int lateEverySet, long lateReplyMillis) {
        if (!bindAddress.isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback addresses are allowed, got " + bindAddress);
        }
        if (port < 0 || port > 65535 || lateEverySet < 0 || lateReplyMillis < 0) {
            throw new IllegalArgumentException("port, lateEverySet and lateReplyMillis must be in range");
        }
        this.bindAddress = bindAddress;
        this.requestedPort = port;
        this.lateEverySet = lateEverySet;
        this.lateReplyMillis = lateReplyMillis;
        this.commands = new MemcachedCommands(lateEverySet, lateReplyMillis);
    }

    /** 127.0.0.1, ephemeral port, default late-reply behaviour. */
    public static SlowMemcachedServer withDefaults() {
        return new SlowMemcachedServer(InetAddress.getLoopbackAddress(), 0,
                DEFAULT_LATE_EVERY_SET, DEFAULT_LATE_REPLY_MILLIS);
    }

    /** Binds and starts accepting; returns this for chaining. */
    public synchronized SlowMemcachedServer start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, requestedPort), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        serverSocket = socket;
        running = true;
        acceptThread = new Thread(this::acceptConnections, "tyrant-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
        String lateness = lateEverySet == 0 || lateReplyMillis == 0 ? "no reply is late"
                : "the reply to one set in every " + lateEverySet + " is " + lateReplyMillis + " ms late";
        log.info("slow memcached server listening on {}:{}, {}", host(), port(), lateness);
        return this;
    }

    public String host() {
        return bindAddress.getHostAddress();
    }

    /** The bound port (the ephemeral one if 0 was asked for). */
    public synchronized int port() {
        if (serverSocket == null) {
            throw new IllegalStateException("not started");
        }
        return serverSocket.getLocalPort();
    }

    public long lateReplyCount() {
        return commands.lateReplyCount();
    }

    /** Stops accepting and closes every client connection, waking any late reply still held back. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.debug("closing server socket: {}", e.toString());
        }
        for (ConnectionHandler connection : connections) {
            connection.close();
        }
        try {
            acceptThread.join(STOP_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("slow memcached server stopped (late replies: {})", lateReplyCount());
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptConnections() {
        for (int accepted = 0; accepted < MAX_CONNECTIONS && running; ) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (running) {
                    log.info("accept failed, server stops accepting: {}", e.toString());
                }
                return;
            }
            accepted++;
            String name = "connection #" + accepted;
            log.info("accepted {} from port {}", name, client.getPort());
            startHandler(client, name, accepted);
        }
        if (running) {
            log.info("accepted {} connections, accepting no more", MAX_CONNECTIONS);
        }
    }

    private void startHandler(Socket client, String name, int number) {
        ConnectionHandler handler = new ConnectionHandler(client, commands, name, connections::remove);
        connections.add(handler);
        if (!running) {
            // stop() may have run between accept and add; make sure this one is closed too.
            handler.close();
            connections.remove(handler);
            return;
        }
        Thread thread = new Thread(handler, "tyrant-conn-" + number);
        thread.setDaemon(true);
        thread.start();
    }
}
