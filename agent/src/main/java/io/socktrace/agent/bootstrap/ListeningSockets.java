package io.socktrace.agent.bootstrap;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listening sockets of this process, which tell a connection that was open before recording started apart:
 * accepted if its local address and port are a listener's, made by this JVM otherwise. A connection object does
 * not say which it is, and a listener that accepted it must have existed before recording, so one look at
 * {@code /proc} when recording starts (on the thread that starts it, never on a socket path) plus every accept
 * recorded since tells exactly. Where {@code /proc} cannot be read, direction is unknown and said so.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private final Set<InetSocketAddress> listening = ConcurrentHashMap.newKeySet();
    private final boolean known;

    private ListeningSockets(boolean known) {
        this.known = known;
    }

    /** For a recording that starts with the JVM: nothing can be open yet. */
    static ListeningSockets atStartUp() {
        return new ListeningSockets(true);
    }

    /** This process's listeners now, from {@code /proc/net/tcp} and {@code tcp6} matched to its descriptors. */
    static ListeningSockets scan() {
        try {
            Set<String> inodes = socketInodes();
            ListeningSockets sockets = new ListeningSockets(true);
            sockets.read(new File("/proc/net/tcp"), inodes, 4);
            sockets.read(new File("/proc/net/tcp6"), inodes, 16);
            return sockets;
        } catch (IOException | RuntimeException unreadable) {
            AgentHealth.unavailable("/proc (listening sockets)", "whether a connection open before recording was "
                    + "accepted or made by this JVM is unknown; such connections are grouped as made", unreadable);
            return new ListeningSockets(false);
        }
    }

    /** Whether the listeners could be read: if not, every connection open before recording counts as made. */
    boolean known() {
        return known;
    }

    /** A listener of this JVM seen accepting. */
    void add(InetSocketAddress listener) {
        if (listening.size() < 4096) {
            listening.add(listener);
        }
    }

    /** The listener that a connection with this local address and port was accepted by, or {@code null}. */
    InetSocketAddress listenerOf(InetAddress local, int port) {
        if (listening.isEmpty() || local == null) {
            return null;
        }
        InetSocketAddress exact = new InetSocketAddress(local, port);
        if (listening.contains(exact)) {
            return exact;
        }
        for (InetSocketAddress listener : listening) {
            if (listener.getPort() == port && listener.getAddress().isAnyLocalAddress()) {
                return listener;
            }
        }
        return null;
    }

    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) {
            throw new IOException("cannot list /proc/self/fd");
        }
        for (File fd : fds) {
            try {
                String target = Files.readSymbolicLink(fd.toPath()).toString();
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring(8, target.length() - 1));
                }
            } catch (IOException | UnsupportedOperationException closedMeanwhile) {
                // a descriptor closed while listing is not a listener
            }
        }
        return inodes;
    }

    /** Adds the table's listeners owned by this process: {@code sl local rem st ... uid timeout inode}. */
    private void read(File table, Set<String> inodes, int addressBytes) throws IOException {
        if (!table.exists()) {
            return; // no IPv6 here
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(table),
                StandardCharsets.US_ASCII))) {
            in.readLine(); // header
            for (String line; (line = in.readLine()) != null; ) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    listening.add(address(fields[1], addressBytes));
                }
            }
        }
    }

    /** {@code 0100007F:1F90}: the address as 32-bit words in host (little-endian) order, the port in hex. */
    static InetSocketAddress address(String field, int addressBytes) throws IOException {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        byte[] bytes = new byte[addressBytes];
        for (int word = 0; word < addressBytes / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(field.substring(colon + 1), 16));
    }
}
