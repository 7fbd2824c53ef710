package io.socktrace.bench.suite;

import java.util.List;

/**
 * How long and how often each part of the suite measures: the full run (about 24 minutes per JDK) or the quick
 * smoke (well under a minute per JDK), which only shows that every workload runs.
 *
 * @param pairs            alternated baseline/agent rounds of each throughput workload
 * @param warmupMillis     per throughput run, the least warm-up before measuring; then it goes on until the JIT
 *                         compiler is quiet (see {@code ClientMain})
 * @param maxWarmupMillis  per throughput run, the most warm-up, compiler quiet or not
 * @param measureMillis    per throughput run, measured
 * @param startupPairs     alternated start-up runs (after one unmeasured run of each)
 * @param attachRepeats    attach/detach cycles, and {@code --version} runs
 * @param heapCheckpoints  connections at which the heap is measured
 * @param heapMaxSeconds   bound on one heap run
 * @param jmhOptions       iterations and times of the micro-benchmarks
 * @param jfrOnEveryCase   whether JFR is compared on every workload that has the comparison, or on the first only
 * @param openConnections  connections held open by the per-connection heap probe (fewer if the fd limit is lower)
 * @param jmxPhaseMillis   each connect phase of the JMX scrape probe, quiet or scraping
 * @param jmxRounds        quiet/scraping phase pairs of the JMX scrape probe
 * @param htmlConnections  connections in the HTML report opened in the browser ({@code html-10k})
 */
record Plan(String name, int pairs, long warmupMillis, long maxWarmupMillis, long measureMillis, int startupPairs,
            int attachRepeats, List<Long> heapCheckpoints, long heapMaxSeconds, List<String> jmhOptions,
            boolean jfrOnEveryCase, int openConnections, long jmxPhaseMillis, int jmxRounds, int htmlConnections) {

    static Plan full() {
        return new Plan("full", 5, 5000, 30_000, 3000, 10, 10, List.of(100_000L, 1_000_000L), 240,
                List.of("-f", "1", "-wi", "2", "-w", "500ms", "-i", "4", "-r", "500ms"), true, 4000, 3000, 3,
                10_000);
    }

    /** The same plan with another number of throughput rounds (to look closer at one workload). */
    Plan withPairs(int newPairs) {
        return new Plan(name + ", " + newPairs + " pairs", newPairs, warmupMillis, maxWarmupMillis, measureMillis,
                startupPairs, attachRepeats, heapCheckpoints, heapMaxSeconds, jmhOptions, jfrOnEveryCase,
                openConnections, jmxPhaseMillis, jmxRounds, htmlConnections);
    }

    static Plan quick() {
        return new Plan("quick", 1, 400, 400, 400, 1, 1, List.of(2_000L, 10_000L), 30,
                List.of("-f", "1", "-wi", "1", "-w", "100ms", "-i", "1", "-r", "100ms"), false, 1000, 500, 1,
                1_000);
    }
}
