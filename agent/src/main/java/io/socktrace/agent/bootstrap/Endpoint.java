package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The remote side of a connection, keyed by literal address and port (never by a host name, which may resolve to
 * several addresses), with the name the application asked for kept for display.
 */
public final class Endpoint {

    private final String address;
    private final int port;
    private final String hostName;

    public Endpoint(String address, int port, String hostName) {
        this.address = address;
        this.port = port;
        this.hostName = hostName;
    }

    /** The endpoint of a socket address; never triggers a name lookup. */
    public static Endpoint of(InetSocketAddress remote) {
        InetAddress inet = remote.getAddress();
        String host = remote.getHostString();
        if (inet == null) {
            return new Endpoint(host, remote.getPort(), null);
        }
        String literal = inet.getHostAddress();
        return new Endpoint(literal, remote.getPort(), host.equals(literal) ? null : host);
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
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Endpoint && ((Endpoint) other).port == port && ((Endpoint) other).address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return hostName == null ? key() : hostName + "/" + key();
    }
}
