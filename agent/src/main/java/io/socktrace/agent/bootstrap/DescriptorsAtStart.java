package io.socktrace.agent.bootstrap;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The TCP connections this process held when recording started, by descriptor number: how a connection of Netty's
 * native transport that was open before recording is taken in, since its socket object carries nothing but the
 * descriptor. Each entry is claimed once (a descriptor number is reused after a close), and the claimer checks the
 * socket's own peer address against it. Lookups on the socket path do not allocate.
 */
final class DescriptorsAtStart {

    private static final DescriptorsAtStart NONE = new DescriptorsAtStart(new int[0], new InetSocketAddress[0],
            new InetSocketAddress[0]);

    private final int[] fds;
    private final InetSocketAddress[] locals;
    private final InetSocketAddress[] remotes;
    private final AtomicIntegerArray claimed;

    private DescriptorsAtStart(int[] fds, InetSocketAddress[] locals, InetSocketAddress[] remotes) {
        this.fds = fds;
        this.locals = locals;
        this.remotes = remotes;
        this.claimed = new AtomicIntegerArray(fds.length);
    }

    /** For a recording that starts with the JVM, or where {@code /proc} could not be read. */
    static DescriptorsAtStart none() {
        return NONE;
    }

    /** The connections among {@code sockets} (from {@link ProcNet#sockets}) that carry data or may still. */
    static DescriptorsAtStart of(List<ProcNet.Row> sockets) {
        if (sockets == null) {
            return NONE;
        }
        List<ProcNet.Row> open = sockets.stream().filter(DescriptorsAtStart::connected)
                .sorted((a, b) -> Integer.compare(a.fd, b.fd)).toList();
        int[] fds = new int[open.size()];
        InetSocketAddress[] locals = new InetSocketAddress[fds.length];
        InetSocketAddress[] remotes = new InetSocketAddress[fds.length];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = open.get(i).fd;
            locals[i] = open.get(i).local;
            remotes[i] = open.get(i).remote;
        }
        return new DescriptorsAtStart(fds, locals, remotes);
    }

    /** Established, or half closed by either side: not listening, not still connecting, not closed. */
    private static boolean connected(ProcNet.Row socket) {
        switch (socket.state) {
            case "01": // ESTABLISHED
            case "04": // FIN_WAIT1
            case "05": // FIN_WAIT2
            case "08": // CLOSE_WAIT
            case "09": // LAST_ACK
            case "0B": // CLOSING
                return true;
            default:
                return false;
        }
    }

    boolean isEmpty() {
        return fds.length == 0;
    }

    /** The unclaimed entry for descriptor {@code fd}, claimed now; -1 if there is none. */
    int claim(int fd) {
        int at = java.util.Arrays.binarySearch(fds, fd);
        return at >= 0 && claimed.compareAndSet(at, 0, 1) ? at : -1;
    }

    InetSocketAddress local(int entry) {
        return locals[entry];
    }

    InetSocketAddress remote(int entry) {
        return remotes[entry];
    }
}
