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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's TCP sockets as the kernel lists them: {@code /proc/net/tcp} and {@code tcp6} matched to the
 * descriptors in {@code /proc/self/fd}. Read once when a recording starts in a running JVM, on the thread that
 * starts it, never on a socket path.
 */
final class ProcNet {

    static final String ESTABLISHED = "01";
    static final String LISTEN = "0A";

    /** One socket of this process: its descriptor, TCP state (hex, as the kernel writes it) and addresses. */
    static final class Row {
        final int fd;
        final String state;
        final InetSocketAddress local;
        final InetSocketAddress remote;

        Row(int fd, String state, InetSocketAddress local, InetSocketAddress remote) {
            this.fd = fd;
            this.state = state;
            this.local = local;
            this.remote = remote;
        }
    }

    private ProcNet() {
    }

    /** Every TCP socket this process holds a descriptor of; throws where {@code /proc} cannot be read. */
    static List<Row> sockets() throws IOException {
        Map<String, Integer> fdsByInode = socketInodes();
        List<Row> rows = new ArrayList<>();
        read(new File("/proc/net/tcp"), fdsByInode, 4, rows);
        read(new File("/proc/net/tcp6"), fdsByInode, 16, rows);
        return rows;
    }

    private static Map<String, Integer> socketInodes() throws IOException {
        Map<String, Integer> inodes = new HashMap<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) {
            throw new IOException("cannot list /proc/self/fd");
        }
        for (File fd : fds) {
            try {
                String target = Files.readSymbolicLink(fd.toPath()).toString();
                if (target.startsWith("socket:[")) {
                    inodes.put(target.substring(8, target.length() - 1), Integer.valueOf(fd.getName()));
                }
            } catch (IOException | RuntimeException closedMeanwhile) {
                // a descriptor closed while listing is not open
            }
        }
        return inodes;
    }

    /** Adds the table's sockets owned by this process: {@code sl local rem st ... uid timeout inode}. */
    private static void read(File table, Map<String, Integer> fdsByInode, int addressBytes, List<Row> rows)
            throws IOException {
        if (!table.exists()) {
            return; // no IPv6 here
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(table),
                StandardCharsets.US_ASCII))) {
            in.readLine(); // header
            for (String line; (line = in.readLine()) != null; ) {
                String[] fields = line.trim().split("\\s+");
                Integer fd = fields.length > 9 ? fdsByInode.get(fields[9]) : null;
                if (fd != null) {
                    rows.add(new Row(fd, fields[3], address(fields[1], addressBytes), address(fields[2], addressBytes)));
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
