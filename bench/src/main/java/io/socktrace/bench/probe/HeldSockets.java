package io.socktrace.bench.probe;

import io.socktrace.bench.wire.Lifetime;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.List;

/**
 * The per-socket heap workloads, both ends of every connection in this JVM. After one warm connection and, with
 * the agent, once its MBean is registered (its last start-up work, whose heap must fall before the first
 * measurement, not between the two), it measures the heap in use after full collections, then:
 * <ul>
 *   <li>{@code endpoints N}: opens N listeners on ephemeral ports, connects once to each and accepts (N client and
 *       N accepted endpoints), closes them all, and measures again: what the agent keeps per endpoint at rest;</li>
 *   <li>{@code open N}: opens N connections to one listener and measures with both ends of all of them open: what
 *       it keeps per open connection.</li>
 * </ul>
 * and prints {@code HELD mode=M count=N beforeBytes=B afterBytes=A agentBytesBefore=X agentBytesAfter=Y
 * agentInstancesAfter=I} (N may be less than asked: whatever fits under the open-files limit).
 *
 * <p>Usage: {@code HeldSockets endpoints|open N MAX_SECONDS}.
 */
public final class HeldSockets {

    private HeldSockets() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int wanted = Integer.parseInt(args[1]);
        Lifetime.exitWithParent(Long.parseLong(args[2]));
        LoopbackSockets.warmUp();
        settle();
        long before = LiveHeap.usedAfterGc();
        long[] agentBefore = LiveHeap.agentObjects();
        int count;
        List<Socket> held = List.of();
        switch (mode) {
            case "endpoints" -> {
                count = LoopbackSockets.fitting(wanted, 3);
                LoopbackSockets.openAndCloseEndpoints(count);
            }
            case "open" -> {
                count = LoopbackSockets.fitting(wanted, 2);
                held = LoopbackSockets.holdOpen(count);
            }
            default -> throw new IllegalArgumentException("mode " + mode);
        }
        long after = LiveHeap.usedAfterGc();
        long[] agentAfter = LiveHeap.agentObjects();
        System.out.printf("HELD mode=%s count=%d beforeBytes=%d afterBytes=%d agentBytesBefore=%d"
                        + " agentBytesAfter=%d agentInstancesAfter=%d%n", mode, count, before, after, agentBefore[0],
                agentAfter[0], agentAfter[1]);
        System.out.flush();
        LoopbackSockets.closeAll(held);
    }

    /**
     * With the agent, waits until its MBean is registered (2 s after its instrumentation is in place, the last of
     * its start-up work), so that none of that falls between the two measurements. Without it there is nothing to
     * wait for: each run's share is its own growth.
     */
    static void settle() throws Exception {
        boolean agent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:"));
        if (agent) {
            JmxScrape.awaitMBean(ManagementFactory.getPlatformMBeanServer());
        }
    }
}
