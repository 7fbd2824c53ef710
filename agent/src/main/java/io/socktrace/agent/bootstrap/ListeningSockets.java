package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
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

    private final Set<InetSocketAddress> listening = ConcurrentHashMap.newKeySet();
    private final boolean known;

    private ListeningSockets(boolean known) {
        this.known = known;
    }

    /** For a recording that starts with the JVM: nothing can be open yet. */
    static ListeningSockets atStartUp() {
        return new ListeningSockets(true);
    }

    /** This process's listeners among {@code sockets} (from {@link ProcNet#sockets}), or unknown if unreadable. */
    static ListeningSockets of(List<ProcNet.Row> sockets) {
        if (sockets == null) {
            return new ListeningSockets(false);
        }
        ListeningSockets listeners = new ListeningSockets(true);
        for (ProcNet.Row socket : sockets) {
            if (socket.state.equals(ProcNet.LISTEN)) {
                listeners.listening.add(socket.local);
            }
        }
        return listeners;
    }

    /** Whether the listeners could be read: if not, every connection open before recording counts as made. */
    boolean known() {
        return known;
    }

    /** Listeners remembered at most (a process with more is unusual; beyond, direction may be unknown). */
    static final int MAX_LISTENERS = 4096;

    /** A listener of this JVM seen accepting: once per accept, so a look-up first rather than a locked add. */
    void add(InetSocketAddress listener) {
        if (!listening.contains(listener) && listening.size() < MAX_LISTENERS) {
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
}
