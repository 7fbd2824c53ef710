package io.socktrace.demo;

import static io.socktrace.agent.testing.ReportPage.bars;
import static io.socktrace.agent.testing.ReportPage.drag;
import static io.socktrace.agent.testing.ReportPage.laneOf;
import static io.socktrace.agent.testing.ReportPage.lanes;
import static io.socktrace.agent.testing.ReportPage.noConsoleErrors;
import static io.socktrace.agent.testing.ReportPage.open;
import static io.socktrace.agent.testing.ReportPage.screenshot;
import static io.socktrace.agent.testing.ReportPage.timelineWidth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The demo's picture: its HTML report, taken from the running demo with {@code report PID --format html} beside the
 * JSON report, opened from disk in headless Chromium with the network off. The lanes and bars are the JSON report's,
 * a hover shows a read-timeout cycle's local port and the failover's closing frame, a cause filter and a zoom change
 * what is drawn, and the console stays clean. The screenshot ({@code target/html-report/demo-JDK.png}) is the
 * README's.
 */
class DemoHtmlReportIT {

    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"socktrace-data\">(.*?)</script>", Pattern.DOTALL);

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theDemosPictureDrawsWhatItsJsonReportSays(Path javaHome, @TempDir Path dir) throws Exception {
        // three cycles kept per endpoint: filled after three closes, so two reports a moment apart keep the same ones
        // unless a close falls between them, which the closed counts tell (and then both are taken again)
        AgentRun demo = AgentRun.on(javaHome, dir).options("cycles=3").jvmArg("-XX:+EnableDynamicAgentLoading")
                .command("-jar", DemoUnderAgentIT.demoJar().toString(), "--seconds", "40").start();
        try {
            DemoUnderAgentIT.awaitOutput(demo, "connected to", Duration.ofSeconds(20));
            String endpoint = serverEndpoint(demo.stdout());
            String pid = Long.toString(demo.process().pid());
            Path json = dir.resolve("demo.json");
            Path html = dir.resolve("demo.html");
            JsonNode report = null;
            String page = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                TimeUnit.SECONDS.sleep(1);
                assertEquals(0, DemoRecordIT.cli(javaHome, "report", pid, "--format", "json", "--output",
                        json.toString()).exit());
                assertEquals(0, DemoRecordIT.cli(javaHome, "report", pid, "--format", "html", "--output",
                        html.toString()).exit());
                report = ReportJson.parse(Files.readString(json));
                page = Files.readString(html);
                JsonNode server = ReportJson.endpoint(report, endpoint, false);
                if (server.get("closed").asLong() >= 3 && sameCloses(report, page)) {
                    break;
                }
                report = null;
            }
            assertTrue(report != null, "no two reports a moment apart with the same closes: " + page);
            JsonNode endpoints = report.get("endpoints");
            ChromeDriver browser = open(html);
            try {
                List<WebElement> lanes = lanes(browser);
                assertEquals(endpoints.size(), lanes.size(), "one lane per endpoint");
                for (int i = 0; i < lanes.size(); i++) {
                    JsonNode e = endpoints.get(i);
                    assertEquals(e.get("endpoint").asText(), lanes.get(i).getDomAttribute("data-endpoint"));
                    assertEquals(e.get("accepted").asText(), lanes.get(i).getDomAttribute("data-accepted"));
                    assertEquals(e.get("cycles").size(), bars(lanes.get(i)), "lane " + i);
                    assertTrue(lanes.get(i).getText().contains(e.get("verdict").asText()), "verdict shown");
                }
                int clientLane = laneOf(lanes, endpoint, false);
                JsonNode client = ReportJson.endpoint(report, endpoint, false);

                // hover a read timeout: its cycle in full, the local port and the failover's frame
                JsonNode timedOut = null;
                WebElement bar = null;
                for (WebElement candidate : lanes.get(clientLane).findElements(By.cssSelector("rect.bar"))) {
                    JsonNode cycle = ReportJson.cycle(client, candidate.getDomAttribute("data-id"));
                    if (cycle != null && cycle.get("cause").asText().equals("readTimeout")) {
                        timedOut = cycle;
                        bar = candidate;
                    }
                }
                assertTrue(bar != null, "a kept read timeout: " + client.toPrettyString());
                new Actions(browser).moveToElement(bar).perform();
                String detail = browser.findElement(By.id("detail")).getText();
                assertTrue(detail.contains("local port   " + timedOut.get("localPort").asInt()), detail);
                assertTrue(detail.contains("read timeout"), detail);
                assertTrue(detail.contains("at io.socktrace.demo.memcache.MemcachePool.serverFailure("), detail);
                assertTrue(detail.contains("in flight    yes"), detail);
                Path shot = screenshot(browser, javaHome, "demo");
                assertTrue(Files.size(shot) > 10_000, "a real screenshot: " + shot);

                // filter out the read timeouts: the client lane keeps only its other closes, the accepted side all
                int timeouts = 0;
                for (JsonNode c : client.get("cycles")) {
                    timeouts += c.get("cause").asText().equals("readTimeout") ? 1 : 0;
                }
                browser.findElement(By.cssSelector("input.cause-filter[value=readTimeout]")).click();
                assertEquals(client.get("cycles").size() - timeouts, bars(lanes(browser).get(clientLane)));
                int acceptedLane = laneOf(lanes(browser), endpoint, true);
                assertEquals(ReportJson.endpoint(report, endpoint, true).get("cycles").size(),
                        bars(lanes(browser).get(acceptedLane)), "the accepted side saw end of stream, not timeouts");
                browser.findElement(By.cssSelector("input.cause-filter[value=readTimeout]")).click();
                assertEquals(client.get("cycles").size(), bars(lanes(browser).get(clientLane)));

                // zoom into the right tenth of the client lane: fewer connections in view, then back out
                WebElement root = browser.findElement(By.id("report"));
                String from = root.getDomAttribute("data-view-from");
                WebElement zoomed = lanes(browser).get(clientLane);
                int width = timelineWidth(zoomed);
                drag(browser, zoomed, width / 2 - width / 10, width / 10 - 2);
                assertNotEquals(from, root.getDomAttribute("data-view-from"), "zoomed in");
                int inZoom = 0;
                for (WebElement lane : lanes(browser)) {
                    inZoom += bars(lane);
                }
                int all = 0;
                for (JsonNode e : endpoints) {
                    all += e.get("cycles").size();
                }
                assertTrue(inZoom < all, "the zoom left connections out of view: " + inZoom + " of " + all);
                browser.findElement(By.id("zoom-out")).click();
                assertEquals(from, root.getDomAttribute("data-view-from"), "zoomed back out");
                noConsoleErrors(browser);
            } finally {
                browser.quit();
            }
        } finally {
            demo.process().destroy();
            demo.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Whether the page's data (the JSON block it draws from) counts the same closes and opens as the JSON report:
     * then both kept the same cycles.
     */
    private static boolean sameCloses(JsonNode report, String page) throws Exception {
        Matcher m = DATA.matcher(page);
        assertTrue(m.find(), "the page's data block");
        JsonNode totals = new ObjectMapper().readTree(m.group(1)).get("totals");
        JsonNode expected = report.get("totals");
        return totals.get("closed").equals(expected.get("closed")) && totals.get("opened").equals(expected.get("opened"))
                && totals.get("accepted").equals(expected.get("accepted"));
    }

    private static String serverEndpoint(String stdout) {
        Matcher m = Pattern.compile("connected to (127\\.0\\.0\\.1:\\d+)").matcher(stdout);
        assertTrue(m.find(), stdout);
        return m.group(1);
    }
}
