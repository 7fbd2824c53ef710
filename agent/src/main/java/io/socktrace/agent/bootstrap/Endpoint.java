package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a connection is grouped under: for connections this JVM made, the remote side; for connections it
 * accepted, the local listening address (one group per server port, not per client). Keyed by literal address
 * and port (never by a host name, which may resolve to several addresses), with the name the application asked
 * for kept for display.
 */
public final class Endpoint {

    private final String address;
    private final int port;
    private final String hostName;
    private final boolean accepted;
    private final String key;

    public Endpoint(String address, int port, String hostName) {
        this(address, port, hostName, false);
    }

    public Endpoint(String address, int port, String hostName, boolean accepted) {
        this.address = address;
        this.port = port;
        this.hostName = hostName;
        this.accepted = accepted;
        this.key = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The endpoint of a socket address; never triggers a name lookup. */
    public static Endpoint of(InetSocketAddress remote) {
        return of(remote, false);
    }

    /** The group of connections accepted on a listening address. */
    public static Endpoint listening(InetSocketAddress local) {
        return of(local, true);
    }

    private static Endpoint of(InetSocketAddress address, boolean accepted) {
        InetAddress inet = address.getAddress();
        String host = address.getHostString();
        if (inet == null) {
            return new Endpoint(host, address.getPort(), null, accepted);
        }
        String literal = inet.getHostAddress();
        return new Endpoint(literal, address.getPort(), host.equals(literal) ? null : host, accepted);
    }

    /** Whether this groups connections accepted by a server socket of this JVM. */
    public boolean accepted() {
        return accepted;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The host name the application connected to, or {@code null} if it used an address. */
    public String hostName() {
        return hostName;
    }

    /** {@code address:port}, with IPv6 addresses in brackets. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Endpoint)) {
            return false;
        }
        Endpoint that = (Endpoint) other;
        return that.port == port && that.accepted == accepted && that.address.equals(address);
    }

    @Override
    public int hashCode() {
        return (address.hashCode() * 31 + port) * 2 + (accepted ? 1 : 0);
    }

    /** {@code host/address:port}, and for accepted connections {@code address:port (accepted)}. */
    @Override
    public String toString() {
        String name = hostName == null ? key() : hostName + "/" + key();
        return accepted ? name + " (accepted)" : name;
    }
}
