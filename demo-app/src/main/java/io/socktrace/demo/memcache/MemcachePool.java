package io.socktrace.demo.memcache;

import io.socktrace.demo.protocol.CrlfLineReader;
import io.socktrace.demo.protocol.MemcacheKeys;
import io.socktrace.demo.protocol.ProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived memcached client modelled on PHP's pecl memcache extension ({@code mmc_pool_*}).
 *
 * <p>The story it reproduces: a PHP application kept one connection to Tokyo Tyrant open
 * "forever", yet strace showed it closed and reopened every so often. The extension's default
 * 1 s read timeout fired while the server had not answered yet; its failover code
 * ({@code mmc_server_failure}) marked the server failed and closed the socket, and the very next
 * server lookup ({@code mmc_pool_find}) reconnected at once, not after the application's own
 * sleep(2) retry. The server's late reply then hit a closed socket and drew a RST.
 *
 * <p>Methods are named after their C counterparts so that a stack trace of the connect or the
 * close reads like the original: {@link #findServer} connects, {@link #serverFailure} closes.
 * One connection per server is kept open for the life of the pool.
 */
public final class MemcachePool implements AutoCloseable {

    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 1000;
    /** pecl memcache's default; shorter than the slow server's reply, which is the whole bug. */
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 1000;

    /** The first try plus one failover retry, as the extension does with a single server. */
    private static final int MAX_ATTEMPTS = 2;
    private static final int MAX_REPLY_LINE_LENGTH = 2048;
    private static final int MAX_VALUE_LENGTH = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(MemcachePool.class);

    private final List<Server> servers = new ArrayList<>();
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private long connects;
    private long reconnects;
    private long serverFailures;
    private boolean closed;

    public MemcachePool() {
        this(DEFAULT_CONNECT_TIMEOUT_MILLIS, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    public MemcachePool(int connectTimeoutMillis, int readTimeoutMillis) {
        if (connectTimeoutMillis <= 0 || readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Like PHP's {@code Memcache::addServer}: registers a server; the connection opens on first use. */
    public synchronized MemcachePool addServer(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        servers.add(new Server(host, port));
        return this;
    }

    /** memcached {@code set}. Returns false if the server did not store it, even after failover. */
    public synchronized boolean store(String key, byte[] value) {
        MemcacheKeys.requireValid(key);
        Objects.requireNonNull(value, "value");
        requireUsable();
        byte[] request = setRequest(key, value);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Server server = null;
            try {
                server = findServer(key);
                server.send(request);
                String reply = server.reader.readLine();
                if ("STORED".equals(reply)) {
                    log.debug("set {} stored on {}", key, server);
                    return true;
                }
                if ("NOT_STORED".equals(reply)) {
                    log.debug("set {} not stored on {}", key, server);
                    return false;
                }
                throw unexpectedReply("set", reply);
            } catch (IOException e) {
                // findServer reports its own connect failures; then server is still null here.
                if (server != null) {
                    serverFailure(server, e);
                }
                // Failover: loop straight back to findServer, which reconnects at once.
            }
        }
        log.debug("set {} failed on all {} attempts", key, MAX_ATTEMPTS);
        return false;
    }

    /** memcached {@code get}. Returns null on a miss or if no server answered. */
    public synchronized byte[] get(String key) {
        MemcacheKeys.requireValid(key);
        requireUsable();
        byte[] request = CrlfLineReader.line("get " + key);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Server server = null;
            try {
                server = findServer(key);
                server.send(request);
                byte[] value = readGetReply(server, key);
                log.debug("get {} from {}: {}", key, server, value == null ? "miss" : "hit");
                return value;
            } catch (IOException e) {
                if (server != null) {
                    serverFailure(server, e);
                }
            }
        }
        log.debug("get {} failed on all {} attempts", key, MAX_ATTEMPTS);
        return null;
    }

    /** Closes every connection; the pool cannot be used afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Server server : servers) {
            Socket socket = server.detach(Server.Status.DISCONNECTED);
            if (socket != null) {
                log.info("closing connection to {} from local port {}", server, socket.getLocalPort());
                closeQuietly(socket);
            }
        }
    }

    public synchronized long connectCount() {
        return connects;
    }

    /** Connects made to a server that had been marked failed. */
    public synchronized long reconnectCount() {
        return reconnects;
    }

    public synchronized long serverFailureCount() {
        return serverFailures;
    }

    /**
     * {@code mmc_pool_find}: picks the server for a key and, if it has no open connection, connects
     * it right away — also straight after {@link #serverFailure} marked it failed.
     */
    Server findServer(String key) throws IOException {
        Server server = servers.get(serverIndex(key));
        if (server.status == Server.Status.CONNECTED) {
            return server;
        }
        boolean reconnect = server.status == Server.Status.FAILED;
        Socket socket = new Socket();
        server.socket = socket; // so that serverFailure closes it if the connect fails
        server.lastActionStartNanos = System.nanoTime();
        try {
            socket.connect(new InetSocketAddress(server.host, server.port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            server.connected(new CrlfLineReader(socket.getInputStream(), MAX_REPLY_LINE_LENGTH),
                    socket.getOutputStream());
        } catch (IOException e) {
            serverFailure(server, e);
            throw e;
        }
        connects++;
        if (reconnect) {
            reconnects++;
            log.info("reconnected to {} from local port {}, {} ms after marking it failed (reconnect #{})",
                    server, socket.getLocalPort(), millisSince(server.failedAtNanos), reconnects);
        } else {
            log.info("connected to {} from local port {}", server, socket.getLocalPort());
        }
        return server;
    }

    /**
     * {@code mmc_server_failure}: marks the server failed and closes its connection. The next
     * {@link #findServer} reconnects immediately.
     */
    void serverFailure(Server s, IOException cause) {
        serverFailures++;
        long waitedMillis = millisSince(s.lastActionStartNanos);
        Socket socket = s.detach(Server.Status.FAILED);
        String what = socket != null && socket.isConnected()
                ? "closing connection from local port " + socket.getLocalPort()
                : "closing its unconnected socket";
        log.info("server {} failed after {} ms: {}; {}", s, waitedMillis, describe(cause), what);
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing the failed connection to {}: {}", s, describe(e));
            }
        }
    }

    private byte[] readGetReply(Server server, String key) throws IOException {
        String line = server.reader.readLine();
        if ("END".equals(line)) {
            return null;
        }
        // VALUE <key> <flags> <bytes> [<cas unique>]
        String[] parts = line == null ? new String[0] : line.split(" ");
        if (parts.length < 4 || !"VALUE".equals(parts[0]) || !key.equals(parts[1])) {
            throw unexpectedReply("get", line);
        }
        int length = parseLength(parts[3]);
        byte[] value = server.reader.readDataBlock(length);
        String end = server.reader.readLine();
        if (!"END".equals(end)) {
            throw unexpectedReply("get", end);
        }
        return value;
    }

    private static int parseLength(String text) throws ProtocolException {
        try {
            int length = Integer.parseInt(text);
            if (length >= 0 && length <= MAX_VALUE_LENGTH) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProtocolException("bad value length in reply: " + text);
    }

    private static byte[] setRequest(String key, byte[] value) {
        byte[] header = CrlfLineReader.line("set " + key + " 0 0 " + value.length);
        byte[] request = new byte[header.length + value.length + 2];
        System.arraycopy(header, 0, request, 0, header.length);
        System.arraycopy(value, 0, request, header.length, value.length);
        request[request.length - 2] = '\r';
        request[request.length - 1] = '\n';
        return request;
    }

    /** The extension's standard crc32 hash strategy, reduced to the server list. */
    private int serverIndex(String key) {
        if (servers.size() == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.US_ASCII));
        return (int) ((crc.getValue() >>> 16) & 0x7fff) % servers.size();
    }

    private void requireUsable() {
        if (closed) {
            throw new IllegalStateException("pool is closed");
        }
        if (servers.isEmpty()) {
            throw new IllegalStateException("no server added");
        }
    }

    private static IOException unexpectedReply(String command, String reply) {
        if (reply == null) {
            return new EOFException("server closed the connection instead of answering " + command);
        }
        String shown = reply.length() > 80 ? reply.substring(0, 80) + "..." : reply;
        return new ProtocolException("unexpected reply to " + command + ": " + shown);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing socket: {}", describe(e));
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** One memcached server and its (single, long-lived) connection; {@code mmc_t} in the extension. */
    static final class Server {

        enum Status { DISCONNECTED, CONNECTED, FAILED }

        final String host;
        final int port;
        Status status = Status.DISCONNECTED;
        Socket socket;
        CrlfLineReader reader;
        OutputStream out;
        long lastActionStartNanos = System.nanoTime();
        long failedAtNanos;

        Server(String host, int port) {
            this.host = host;
            this.port = port;
        }

        void connected(CrlfLineReader reader, OutputStream out) {
            this.reader = reader;
            this.out = out;
            this.status = Status.CONNECTED;
        }

        void send(byte[] request) throws IOException {
            lastActionStartNanos = System.nanoTime();
            out.write(request);
            out.flush();
        }

        /** Forgets the connection (so nothing is written to it again) and returns its socket to close. */
        Socket detach(Status newStatus) {
            Socket detached = socket;
            socket = null;
            reader = null;
            out = null;
            status = newStatus;
            if (newStatus == Status.FAILED) {
                failedAtNanos = System.nanoTime();
            }
            return detached;
        }

        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }
}
