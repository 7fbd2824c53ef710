package io.socktrace.bench.micro;

import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.SocketEvents;
import io.socktrace.agent.report.JfrEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A recorder with the agent's default settings, installed as the one {@link SocketEvents} feeds. */
final class Recording {

    /**
     * The defaults of {@code maxConnections, maxEndpoints, maxStacks, stackDepth, cycles, reconnectWindow}, but with
     * every stack captured ({@code stackRate=all}): at JMH's call rates the default rate would sample nearly every
     * capture away, and these benchmarks are what one capture costs.
     */
    static final RecorderSettings DEFAULTS = new RecorderSettings(100_000, 1024, 4096, 64, 5,
            TimeUnit.SECONDS.toNanos(5), 0);

    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 11211);

    private Recording() {
    }

    /** Starts recording; {@code jfrListener} adds the JFR listener the agent adds by default ({@code jfr=on}). */
    static Recorder start(boolean jfrListener) {
        Recorder recorder = new Recorder(DEFAULTS);
        if (jfrListener) {
            recorder.addListener(new JfrEvents());
        }
        if (!SocketEvents.start(recorder)) {
            throw new IllegalStateException("a recorder is already installed");
        }
        return recorder;
    }

    /** Registers {@code socket} as an open connection, as the advice on a successful connect does. */
    static void connect(Object socket, int localPort) {
        SocketEvents.connectEnd(socket, REMOTE, localPort, SocketEvents.start(), null);
    }
}
