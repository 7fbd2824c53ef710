package io.socktrace.bench.suite;

import io.socktrace.bench.probe.JmxScrape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload 9: a JMX reader against a JVM with 1000 endpoints recorded ({@link JmxScrape}, with the agent only:
 * without it there is no MBean): the time of one read of every attribute, and whether an application thread's
 * connects wait while scrapes run back to back (phases with and without scraping alternate in the one JVM; the
 * "baseline" column is the phases without). Not pinned: the reader and the application get a core each, as on a
 * server, so what the connect waits for is a lock rather than the CPU.
 */
final class JmxScrapeBench {

    static final String ID = "jmx-scrape";
    private static final int ENDPOINTS = 1000;
    private static final long MAX_SECONDS = 180;
    /** A connect is ~50-100 us on loopback; a scrape that made one wait would show as milliseconds. */
    private static final Budget P99_OVER_QUIET = Budget.atMost(1, "ms", 2);
    private static final Pattern SCRAPE = Pattern.compile(
            "SCRAPE count=(\\d+) attributes=(\\d+) medianMs=([0-9.]+) maxMs=([0-9.]+)");
    private static final Pattern CONNECT = Pattern.compile(
            "CONNECT phase=(\\w+) count=(\\d+) p50Us=([0-9.]+) p99Us=([0-9.]+) maxUs=([0-9.]+)");

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    JmxScrapeBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        progress.say(ID + ": " + plan.jmxRounds() + " rounds of " + plan.jmxPhaseMillis()
                + " ms connecting without, then with, scrapes");
        try {
            measure(report);
        } catch (IOException e) {
            report.failed("9. " + ID, e);
        }
    }

    private void measure(JdkReport report) throws IOException, InterruptedException {
        Launcher.RunFiles files = launcher.variantOptions(Variant.SOCKTRACE);
        List<String> options = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
        options.addAll(files.options());
        List<String> command = launcher.java(false, options, JmxScrape.class.getName(), ENDPOINTS,
                plan.jmxPhaseMillis(), plan.jmxRounds(), MAX_SECONDS);
        Matcher scrape;
        Matcher quiet;
        Matcher scraping;
        StringBuilder firstReads = new StringBuilder();
        try (ChildProcess probe = ChildProcess.start(command, launcher.stderrFile("jmx-scrape"))) {
            scrape = expect(probe, SCRAPE, "SCRAPE");
            for (String line : probe.output().split("\n")) {
                if (line.startsWith("ATTRIBUTE ")) {
                    firstReads.append(firstReads.length() == 0 ? "" : ", ").append(line.substring(10));
                }
            }
            quiet = expect(probe, CONNECT, "CONNECT phase=quiet");
            scraping = expect(probe, CONNECT, "CONNECT phase=scrape");
            if (probe.waitFor(60_000) != 0) {
                throw probe.failure("JMX scrape probe exited with an error");
            }
        }
        Launcher.agentErrors(files.report());
        files.delete();
        report.budgetRow("9. " + ID + ": one read of all " + scrape.group(2) + " attributes of "
                        + JmxScrape.MBEAN + ", " + Format.number(ENDPOINTS * 2, 0) + " endpoints recorded, "
                        + scrape.group(1) + " reads (ms)", "-",
                scrape.group(3) + " (max " + scrape.group(4) + ")", "", null, Double.NaN);
        double quietP99 = Double.parseDouble(quiet.group(4)) / 1000;
        double scrapeP99 = Double.parseDouble(scraping.group(4)) / 1000;
        report.budgetRow("9. " + ID + ": app connect p99 (max) with socktrace, without / while scraping back to"
                        + " back (ms; " + quiet.group(2) + " / " + scraping.group(2) + " connects)",
                Format.number(quietP99, 3) + " (max " + Format.number(Double.parseDouble(quiet.group(5)) / 1000, 3)
                        + ")",
                Format.number(scrapeP99, 3) + " (max "
                        + Format.number(Double.parseDouble(scraping.group(5)) / 1000, 3) + ")",
                "+" + Format.number(scrapeP99 - quietP99, 3) + " ms p99", P99_OVER_QUIET, scrapeP99 - quietP99);
        report.sections.add("9. " + ID + ": connect p50 " + quiet.group(3) + " us without scraping, "
                + scraping.group(3) + " us while scraping; the first read of each attribute alone: " + firstReads);
    }

    private static Matcher expect(ChildProcess probe, Pattern pattern, String prefix)
            throws IOException, InterruptedException {
        String line = probe.awaitLine(l -> l.startsWith(prefix) || l.startsWith("ERROR"), (MAX_SECONDS + 30) * 1000)
                .text();
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            throw probe.failure("unexpected line " + line);
        }
        return m;
    }
}
