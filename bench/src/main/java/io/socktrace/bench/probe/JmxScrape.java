package io.socktrace.bench.probe;

import io.socktrace.bench.wire.Lifetime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JMX scrape workload, with the agent: {@code ENDPOINTS} endpoints recorded (as {@link HeldSockets}
 * {@code endpoints}), then an in-process reader reads every attribute of the agent's MBean back to back while an
 * application thread connects to a loopback listener in a loop (connect, close), alternated with phases where
 * nothing scrapes: a scrape that held a lock the connect path takes would show as connect latency. Prints
 * {@code ATTRIBUTE NAME firstReadMs=T} for each attribute (one read each, before the phases),
 * {@code SCRAPE count=N attributes=A medianMs=M maxMs=X} and, for each phase kind,
 * {@code CONNECT phase=quiet|scrape count=N p50Us=P p99Us=Q maxUs=X}.
 *
 * <p>Usage: {@code JmxScrape ENDPOINTS PHASE_MILLIS ROUNDS MAX_SECONDS}; one unrecorded quiet phase first.
 */
public final class JmxScrape {

    public static final String MBEAN = "socktrace:type=Recorder";
    private static final long MBEAN_WAIT_MILLIS = 15_000;
    private static final int MAX_SAMPLES = 1_000_000;

    private JmxScrape() {
    }

    public static void main(String[] args) throws Exception {
        int endpoints = Integer.parseInt(args[0]);
        long phaseNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        int rounds = Integer.parseInt(args[2]);
        Lifetime.exitWithParent(Long.parseLong(args[3]));
        LoopbackSockets.warmUp();
        LoopbackSockets.openAndCloseEndpoints(LoopbackSockets.fitting(endpoints, 3));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = awaitMBean(server);
        String[] attributes = Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .map(MBeanAttributeInfo::getName).toArray(String[]::new);
        for (String attribute : attributes) {
            long start = System.nanoTime();
            server.getAttribute(name, attribute);
            System.out.printf("ATTRIBUTE %s firstReadMs=%.3f%n", attribute, (System.nanoTime() - start) / 1e6);
        }
        Samples scrapes = new Samples();
        Samples quiet = new Samples();
        Samples scraped = new Samples();
        try (ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            startAcceptor(listener);
            connectLoop(listener, phaseNanos, new Samples()); // warm-up, not recorded
            for (int round = 0; round < rounds; round++) {
                connectLoop(listener, phaseNanos, quiet);
                AtomicBoolean stop = new AtomicBoolean();
                Thread scraper = new Thread(() -> scrape(server, name, attributes, stop, scrapes), "jmx-scraper");
                scraper.start();
                connectLoop(listener, phaseNanos, scraped);
                stop.set(true);
                scraper.join(60_000);
            }
        }
        if (scrapes.failure != null) {
            System.out.println("ERROR scrape failed: " + scrapes.failure);
            System.exit(1);
        }
        System.out.printf("SCRAPE count=%d attributes=%d medianMs=%.3f maxMs=%.3f%n", scrapes.count,
                attributes.length, scrapes.percentile(50) / 1e6, scrapes.percentile(100) / 1e6);
        for (String phase : new String[] {"quiet", "scrape"}) {
            Samples s = phase.equals("quiet") ? quiet : scraped;
            System.out.printf("CONNECT phase=%s count=%d p50Us=%.1f p99Us=%.1f maxUs=%.1f%n", phase, s.count,
                    s.percentile(50) / 1e3, s.percentile(99) / 1e3, s.percentile(100) / 1e3);
        }
        System.out.flush();
    }

    /** The agent registers its MBean a while after start; waits for it (bounded). */
    static ObjectName awaitMBean(MBeanServer server) throws Exception {
        ObjectName name = new ObjectName(MBEAN);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MBEAN_WAIT_MILLIS);
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                System.out.println("ERROR no " + MBEAN + " within " + MBEAN_WAIT_MILLIS + " ms (is the agent on?)");
                System.exit(1);
            }
            Thread.sleep(50);
        }
        return name;
    }

    /**
     * Accepts and closes once the client has closed: the client closes first and keeps the TIME_WAIT, so hundreds
     * of thousands of connects from one address never reuse a port the server side still holds (a SYN to such a
     * port waits for its one-second retransmission, which showed as 1 s connects in both kinds of phase).
     */
    private static void startAcceptor(ServerSocket listener) {
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket accepted = listener.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    // closed listener (the loop ends) or a reset connection (the next one)
                }
            }
        }, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Connects and closes for {@code phaseNanos} (at most {@link #MAX_SAMPLES} times), timing each connect. */
    private static void connectLoop(ServerSocket listener, long phaseNanos, Samples latencies) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        long end = System.nanoTime() + phaseNanos;
        for (int i = 0; i < MAX_SAMPLES; i++) {
            long start = System.nanoTime();
            if (start >= end) {
                return;
            }
            Socket socket = new Socket(loopback, listener.getLocalPort());
            latencies.add(System.nanoTime() - start);
            socket.close();
        }
    }

    /** Reads every attribute, back to back, until told to stop (or {@link #MAX_SAMPLES} scrapes). */
    private static void scrape(MBeanServer server, ObjectName name, String[] attributes, AtomicBoolean stop,
                               Samples durations) {
        try {
            for (int i = 0; i < MAX_SAMPLES && !stop.get(); i++) {
                long start = System.nanoTime();
                AttributeList values = server.getAttributes(name, attributes);
                durations.add(System.nanoTime() - start);
                if (values.size() != attributes.length) {
                    throw new IllegalStateException(values.size() + " of " + attributes.length + " attributes read");
                }
            }
        } catch (Exception e) {
            durations.failure = e;
        }
    }

    /** Nanosecond samples of one kind (one writer thread; read after it is joined). */
    private static final class Samples {
        private long[] values = new long[1024];
        int count;
        volatile Exception failure;

        void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }

        /** The nearest-rank percentile ({@code 100}: the maximum); NaN without samples. */
        double percentile(double p) {
            if (count == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100 * count);
            return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
        }
    }
}
