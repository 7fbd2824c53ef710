package io.socktrace.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A connection open before recording started: its transport and addresses, as read from its socket object. */
final class OpenConnection {
    final Transport transport;
    final InetSocketAddress remote;
    final InetAddress localAddress;
    final int localPort;

    OpenConnection(Transport transport, InetSocketAddress remote, InetAddress localAddress, int localPort) {
        this.transport = transport;
        this.remote = remote;
        this.localAddress = localAddress;
        this.localPort = localPort;
    }
}
