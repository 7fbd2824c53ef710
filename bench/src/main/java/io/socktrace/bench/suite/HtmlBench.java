package io.socktrace.bench.suite;

import io.socktrace.bench.probe.HtmlReportProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Workload 7, {@code html-10k}: how soon the HTML report of 10,000 connections is usable. The connections are real,
 * made by a probe JVM with the agent ({@code cycles=1000}, so that all of them are kept: 1,000 on each of 10
 * endpoints) against a server JVM without it, plus one still open per endpoint; the agent writes the HTML report
 * at the probe's exit. Then headless Chromium opens the file from disk, {@link #OPENS} times: time to interactive
 * is from navigation start to the page's own {@code socktrace-ready} mark (the data parsed and every lane drawn),
 * plus one zoom (a drag over a lane, until the next frame). Also the file's size and what the page drew. Skipped,
 * with a line saying why, without Chromium. Not pinned: the browser uses more than one CPU.
 */
final class HtmlBench {

    static final String ID = "html-10k";
    private static final int ENDPOINTS = 10;
    private static final int OPENS = 3;
    private static final long MAX_SECONDS = 300;
    /** "Opens and becomes interactive within a few seconds." */
    private static final Budget BUDGET = Budget.atMost(3, "s", 2);

    /**
     * What the page says about itself once ready and loaded (waited for: WebDriver may answer the navigation before
     * the load event): its marks, lanes, bars drawn, lanes drawn as density, what it says it left out.
     */
    private static final String READY = String.join("\n",
            "function check() {",
            "var root = document.getElementById('report');",
            "if (!root || root.dataset.ready !== 'true' || document.readyState !== 'complete') {"
                    + " setTimeout(check, 5); return; }",
            "var mark = performance.getEntriesByName('socktrace-ready')[0];",
            "var nav = performance.getEntriesByType('navigation')[0];",
            "var lanes = document.querySelectorAll('section.lane');",
            "var bars = 0, open = 0, density = 0;",
            "lanes.forEach(function (l) { bars += +l.dataset.bars; open += +l.dataset.openBars;"
                    + " if (l.dataset.mode === 'density') { density++; } });",
            "done('ready=' + root.dataset.ready + ';readyMs=' + (mark ? mark.startTime : -1)"
                    + " + ';responseMs=' + (nav ? nav.responseEnd : -1) + ';loadMs=' + (nav ? nav.loadEventEnd : -1)"
                    + " + ';lanes=' + lanes.length"
                    + " + ';bars=' + bars + ';open=' + open + ';density=' + density"
                    + " + ';leftOut=' + document.getElementById('left-out').textContent.replace(/[;=]/g, ','));",
            "}",
            "check();");

    /** A drag over the middle half of the first lane, timed to the frame after its redraw. */
    private static final String ZOOM = String.join("\n",
            "var root = document.getElementById('report');",
            "var svg = document.querySelector('section.lane svg');",
            "var box = svg.getBoundingClientRect();",
            "var y = box.top + box.height / 2;",
            "function mouse(type, x) { svg.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y,"
                    + " bubbles: true, cancelable: true, view: window })); }",
            "var before = root.dataset.viewFrom;",
            "var started = performance.now();",
            "mouse('mousedown', box.left + box.width * 0.25);",
            "mouse('mousemove', box.left + box.width * 0.5);",
            "mouse('mouseup', box.left + box.width * 0.75);",
            "var drawn = performance.now();",
            "requestAnimationFrame(function () { setTimeout(function () {",
            "  done('zoomed=' + (root.dataset.viewFrom !== before) + ';drawMs=' + (drawn - started)"
                    + " + ';frameMs=' + (performance.now() - started));",
            "}, 0); });");

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    HtmlBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        String row = "7. " + ID + ": the HTML report of " + Format.number(plan.htmlConnections(), 0)
                + " connections in headless Chromium, time to interactive (script ready + one zoom) (s)";
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            report.sections.add("7. " + ID + ": skipped: " + missing);
            report.budgetRow(row, "-", "skipped", missing, null, Double.NaN);
            return;
        }
        try {
            measure(report, row);
        } catch (IOException e) {
            report.failed("7. " + ID, e);
        }
    }

    private void measure(JdkReport report, String row) throws IOException, InterruptedException {
        int connections = plan.htmlConnections();
        progress.say(ID + ": " + connections + " connections with socktrace, then the report in Chromium");
        Path html = launcher.workDir().resolve("html-10k.html");
        List<String> server = launcher.java(false, List.of("-Xmx256m"), HtmlReportProbe.class.getName(), "serve",
                ENDPOINTS, MAX_SECONDS);
        try (ChildProcess servers = ChildProcess.start(server, launcher.stderrFile("html-server"))) {
            String ports = servers.awaitLine(l -> l.startsWith("ports "), 60_000).text().substring(6);
            List<String> options = List.of("-Xmx512m", "-javaagent:" + launcher.agentJar() + "=report=" + html
                    + ",format=html,cycles=" + (connections + ENDPOINTS - 1) / ENDPOINTS);
            List<String> client = launcher.java(false, options, HtmlReportProbe.class.getName(), "connect", ports,
                    connections, MAX_SECONDS);
            try (ChildProcess probe = ChildProcess.start(client, launcher.stderrFile("html-client"))) {
                probe.awaitLine(l -> l.startsWith("made "), MAX_SECONDS * 1000);
                if (probe.waitFor(120_000) != 0) {
                    throw probe.failure("the probe failed");
                }
            }
        }
        if (!Files.isRegularFile(html)) {
            throw new IOException("the agent wrote no HTML report to " + html);
        }
        long bytes = Files.size(html);
        Samples ready = new Samples();
        Samples response = new Samples();
        Samples loaded = new Samples();
        Samples zoom = new Samples();
        Samples interactive = new Samples();
        Samples load = new Samples();
        Map<String, String> page = Map.of();
        try (HeadlessChromium browser = HeadlessChromium.start(launcher)) {
            for (int i = 1; i <= OPENS; i++) {
                progress.say(ID + ": open " + i + "/" + OPENS);
                browser.open("about:blank");
                long started = System.nanoTime();
                browser.open(html.toUri().toString());
                page = fields(browser.runAsync(READY));
                load.add((System.nanoTime() - started) / 1e9);
                Map<String, String> zoomed = fields(browser.runAsync(ZOOM));
                if (!"true".equals(page.get("ready")) || !"true".equals(zoomed.get("zoomed"))) {
                    throw new IOException("the page did not get ready or did not zoom: " + page + " " + zoomed);
                }
                double readyMs = Double.parseDouble(page.get("readyMs"));
                double zoomMs = Double.parseDouble(zoomed.get("frameMs"));
                ready.add(readyMs / 1000);
                response.add(Double.parseDouble(page.get("responseMs")) / 1000);
                loaded.add(Double.parseDouble(page.get("loadMs")) / 1000);
                zoom.add(zoomMs / 1000);
                interactive.add((readyMs + zoomMs) / 1000);
            }
        }
        String drawn = page.get("lanes") + " lanes, " + Format.number(Double.parseDouble(page.get("bars")), 0)
                + " closed and " + page.get("open") + " open connections in view, " + page.get("density")
                + " lanes as density";
        report.budgetRow(row, "-", Format.spread(interactive, 2),
                "file " + Format.number(bytes / (1024.0 * 1024.0), 1) + " MB; " + drawn, BUDGET,
                interactive.median());
        report.sections.add(String.format(java.util.Locale.ROOT, "7. %s: %,d connections made with the agent, HTML"
                        + " report %,d bytes; %d opens in headless Chromium, seconds as median (min..max), from"
                        + " navigation start: file read %s, script ready %s, load event done %s; then one zoom to the"
                        + " next frame %s; wall time in this driver from the open command to the ready page seen"
                        + " (WebDriver's round trips and a 5 ms poll included) %s; the page drew %s; its header: %s", ID,
                connections, bytes, OPENS, Format.spread(response, 3), Format.spread(ready, 3),
                Format.spread(loaded, 3), Format.spread(zoom, 3), Format.spread(load, 3),
                drawn, page.get("leftOut")));
    }

    /** {@code a=1;b=2} as a map. */
    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String field : text.split(";")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return fields;
    }
}
