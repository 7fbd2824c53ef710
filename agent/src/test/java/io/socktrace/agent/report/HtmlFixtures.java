package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Cycles;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.StillOpen;
import io.socktrace.agent.bootstrap.Transport;
import java.util.List;
import java.util.Map;

/** Hand-built recordings for the HTML report's tests: endpoints of read-timeout churn, one closing stack. */
public final class HtmlFixtures {

    public static final long T0 = 1_795_000_000_000_000L;
    /** A closing stack whose names are markup. */
    static final StackTrace CLOSE = StackTrace.of(2,
            new String[] {"java.net.Socket", "demo.<Pool>", "demo.App"}, new String[] {"close", "fail</script>", "run"},
            new String[] {"Socket.java", "Pool.java", "<b>App.java"}, new int[] {1575, 88, 31});

    private HtmlFixtures() {
    }

    /** {@code cycles} connections one after the other, 1 ms apart, each closed 0.1 ms after a read timeout. */
    public static EndpointSnapshot endpoint(int port, int cycles, String thread) {
        Cycle[] kept = new Cycle[cycles];
        for (int i = 0; i < cycles; i++) {
            long open = T0 + i * 1_000L;
            kept[i] = Cycles.made(i + 1, Transport.SOCKET, 40000 + i, open, 100).wrote(open + 200, 10)
                    .timedOut(open + 800, 1, 500).closed(open + 900, thread, 2);
        }
        return new EndpointSnapshot(new Endpoint("127.0.0.1", port, "host<" + port + ">"), cycles, 0, cycles, 0,
                cycles - 1, 0, cycles, 0, Map.of(Transport.SOCKET, (long) cycles), T0, T0 + cycles * 1_000L,
                Map.of(CloseCause.READ_TIMEOUT, (long) cycles), Map.of(), Map.of(2, (long) cycles), Map.of(),
                Map.of(), Map.of(1, (long) cycles), new long[] {900}, new long[] {100}, new long[] {100},
                new long[] {600}, kept, 3);
    }

    /** Open since before recording, first seen at {@code firstSeen}. */
    public static StillOpen openedBefore(long id, int localPort, long firstSeen) {
        return new StillOpen(id, Transport.SOCKET, false, "127.0.0.1", localPort, null, true, -1, firstSeen, -1, null,
                0, firstSeen, 0, 10, 0, true, firstSeen, 0);
    }

    /** Opened at {@code open} by thread {@code main}, a request sent at {@code request} in flight. */
    public static StillOpen stillOpen(long id, int localPort, long open, long request) {
        return new StillOpen(id, Transport.SOCKET, false, "127.0.0.1", localPort, null, false, open, -1, 100, "main", 2,
                request, 0, 10, 0, true, request, 0);
    }

    /** {@code e} with these connections still open, and {@code omitted} more counted. */
    public static EndpointSnapshot withOpen(EndpointSnapshot e, List<StillOpen> open, long omitted) {
        return new EndpointSnapshot(e.endpoint(), e.opened() + open.size() + omitted, e.openedBefore(), e.closed(),
                (int) (open.size() + omitted), e.reconnects(), e.failedConnects(), e.requestInFlightCloses(),
                e.tlsCloses(), e.openedByTransport(), e.firstMicros(), e.lastMicros(), e.closesByCause(),
                e.failuresByReason(), e.closeStacks(), e.reconnectStacks(), e.failedConnectStacks(),
                e.timeoutSettings(), e.lifetimes(), e.reconnectGaps(), e.closeDelays(), e.inFlightAges(), e.cycles(),
                e.cyclesDropped(), e.closeShapes(), e.failedAttempts(), e.idle(), open, omitted);
    }

    public static RecordingSnapshot recording(List<EndpointSnapshot> endpoints) {
        return new RecordingSnapshot(T0 - 1_000, T0 + 10_000_000L, new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L),
                endpoints, List.of(CLOSE), 0, 0, 0, 0, 0, 0, true, 0, null, Map.of(), Map.of());
    }
}
