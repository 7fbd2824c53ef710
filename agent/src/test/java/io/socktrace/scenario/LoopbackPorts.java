package io.socktrace.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for scenarios. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A loopback port nobody listens on (it was free a moment ago). */
    static int unused() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
