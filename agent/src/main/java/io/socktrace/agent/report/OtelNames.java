package io.socktrace.agent.report;

/**
 * OpenTelemetry's semantic-convention attribute names for a connection, written beside socktrace's own fields so
 * that a log pipeline or a collector maps them without a parser of its own. Which side is the server follows the
 * conventions (the client is the side that initiated the connection): for a connection this JVM made, the peer is
 * the server and this JVM the client; for one it accepted, this JVM is the server and the peer the client.
 * {@code server.address} is the host name the application connected to when it gave one (never a reverse lookup),
 * else the address. A value not known is left out, never guessed.
 *
 * <p>{@code error.type} takes these values: on a failed connect {@code connection_refused}, {@code timeout},
 * {@code unreachable}, {@code unknown_host}, {@code closed_while_connecting}, else {@code _OTHER}; on a read
 * timeout {@code timeout}; on an error, and on a connection that ended after one, {@code reset} or
 * {@code io_error} (a read timeout: {@code timeout}). Events and connections without an error have none.
 */
final class OtelNames {

    private OtelNames() {
    }

    /**
     * The names of one connection.
     *
     * @param accepted        whether this JVM accepted it
     * @param endpointAddress the group's address: the remote side, or for accepted ones the listening address
     * @param endpointPort    the group's port
     * @param hostName        the name the application connected to, or {@code null}
     * @param localAddress    this side's address, or {@code null} if unknown
     * @param localPort       this side's port, 0 if unknown
     * @param peer            the client's {@code address:port} for accepted connections, else {@code null}
     */
    static void connection(Json json, boolean accepted, String endpointAddress, int endpointPort, String hostName,
                           String localAddress, int localPort, String peer) {
        String peerAddress = accepted ? address(peer) : endpointAddress;
        int peerPort = accepted ? port(peer) : endpointPort;
        String local = accepted && localAddress == null ? endpointAddress : localAddress;
        if (accepted) {
            put(json, "server.address", local, endpointPort == 0 ? -1 : endpointPort);
            put(json, "client.address", peerAddress, peerPort);
        } else {
            put(json, "server.address", hostName != null ? hostName : endpointAddress, endpointPort);
            put(json, "client.address", local, localPort);
        }
        put(json, "network.peer.address", peerAddress, peerPort);
        put(json, "network.local.address", local, localPort);
        transport(json, peerAddress != null ? peerAddress : local);
    }

    /** The names of an endpoint group: the server it is (or, for accepted ones, the server this JVM is). */
    static void endpoint(Json json, boolean accepted, String address, int port, String hostName) {
        if (accepted) {
            put(json, "server.address", address, port);
            put(json, "network.local.address", address, port);
        } else {
            put(json, "server.address", hostName != null ? hostName : address, port);
            put(json, "network.peer.address", address, port);
        }
        transport(json, address);
    }

    private static void transport(Json json, String address) {
        json.field("network.transport", "tcp");
        if (address != null) {
            json.field("network.type", address.indexOf(':') >= 0 ? "ipv6" : "ipv4");
        }
    }

    /** {@code X.address} and {@code X.port} when known. */
    private static void put(Json json, String addressName, String address, int port) {
        if (address == null) {
            return;
        }
        json.field(addressName, address);
        if (port > 0) {
            json.field(addressName.substring(0, addressName.length() - "address".length()) + "port", port);
        }
    }

    /** {@code error.type} of a failed connect, from its reason (FailureClassifier's words). */
    static String connectError(String reason) {
        if (reason == null) {
            return "_OTHER";
        }
        switch (reason) {
            case "refused":
                return "connection_refused";
            case "timed out":
                return "timeout";
            case "unreachable":
                return "unreachable";
            case "unknown host":
                return "unknown_host";
            case "closed while connecting":
                return "closed_while_connecting";
            default:
                return "_OTHER";
        }
    }

    /** {@code error.type} of a close cause, or {@code null} when the connection ended without an error. */
    static String causeError(String cause) {
        switch (cause) {
            case "READ_TIMEOUT":
            case "readTimeout":
                return "timeout";
            case "RESET":
            case "reset":
                return "reset";
            case "IO_ERROR":
            case "ioError":
                return "io_error";
            default:
                return null;
        }
    }

    /** The address of {@code address:port} ({@code [v6]:port} without brackets), or {@code null}. */
    static String address(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        String address = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    /** The port of {@code address:port}, or -1. */
    static int port(String hostPort) {
        if (hostPort == null) {
            return -1;
        }
        try {
            return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException notAPort) {
            return -1;
        }
    }
}
