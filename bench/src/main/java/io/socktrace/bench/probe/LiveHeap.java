package io.socktrace.bench.probe;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** The JVM's own accounting of live data: heap in use after full collections, and the agent's live objects. */
final class LiveHeap {

    private LiveHeap() {
    }

    /** Heap in use after several full collections (until it stops shrinking, at most five). */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** Shallow bytes and instances of live {@code io.socktrace.agent} objects, from {@code GC.class_histogram}. */
    static long[] agentObjects() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        long bytes = 0;
        long instances = 0;
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].startsWith("io.socktrace.agent.")) {
                instances += Long.parseLong(columns[1]);
                bytes += Long.parseLong(columns[2]);
            }
        }
        return new long[] {bytes, instances};
    }
}
