package io.socktrace.agent.it;

import static io.socktrace.agent.testing.ReportPage.bars;
import static io.socktrace.agent.testing.ReportPage.drag;
import static io.socktrace.agent.testing.ReportPage.laneOf;
import static io.socktrace.agent.testing.ReportPage.lanes;
import static io.socktrace.agent.testing.ReportPage.noConsoleErrors;
import static io.socktrace.agent.testing.ReportPage.open;
import static io.socktrace.agent.testing.ReportPage.openBars;
import static io.socktrace.agent.testing.ReportPage.screenshot;
import static io.socktrace.agent.testing.ReportPage.timelineWidth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.report.HtmlFixtures;
import io.socktrace.agent.report.HtmlReport;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import io.socktrace.scenario.HtmlTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The HTML report in a real browser (headless Chromium, offline), opened from disk: what it draws matches the JSON
 * report of the same recording, hover, zoom and filters work, nothing fails in the console, and a thread named as
 * markup shows as text and runs nothing. A screenshot of each page is left in {@code target/html-report/}.
 */
class HtmlReportIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    private record Run(AgentRun agent, JsonNode json, Path html) {
    }

    private static Run run(Path javaHome, Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("exit.txt"))
                .mainClass("io.socktrace.scenario.HtmlTimeline", json.toString(), html.toString());
        assertEquals(0, run.waitFor(), run.stderr());
        assertEquals("written", run.printed("reports"), run.stderr());
        return new Run(run, ReportJson.parse(Files.readString(json)), html);
    }

    /** Where a bar ends, in the lane's own units (its view box is as wide as the lane). */
    private static double rightEdge(WebElement bar) {
        return Double.parseDouble(bar.getDomAttribute("x")) + Double.parseDouble(bar.getDomAttribute("width"));
    }

    private static double laneWidth(WebElement lane) {
        return Double.parseDouble(lane.findElement(By.cssSelector("svg")).getDomAttribute("viewBox").split(" ")[2]);
    }

    private static long openOf(JsonNode cycle) {
        return cycle.get("openedAtMicros").isNull() ? cycle.get("firstSeenAtMicros").asLong()
                : cycle.get("openedAtMicros").asLong();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theTimelineDrawsWhatTheJsonReportSays(Path javaHome, @TempDir Path dir) throws Exception {
        Run run = run(javaHome, dir);
        JsonNode endpoints = run.json().get("endpoints");
        ChromeDriver browser = open(run.html());
        try {
            // one lane per endpoint, in the report's order (most churn first), one bar per kept connection
            List<WebElement> lanes = lanes(browser);
            assertEquals(endpoints.size(), lanes.size());
            for (int i = 0; i < lanes.size(); i++) {
                assertEquals(endpoints.get(i).get("endpoint").asText(), lanes.get(i).getDomAttribute("data-endpoint"));
                assertEquals(endpoints.get(i).get("cycles").size(), bars(lanes.get(i)), "lane " + i);
                assertTrue(lanes.get(i).getText().contains(endpoints.get(i).get("verdict").asText()), "verdict shown");
            }
            String timeoutKey = "127.0.0.1:" + run.agent().printed("port.timeout");
            int timeoutLane = laneOf(lanes, timeoutKey, false);
            JsonNode timeouts = ReportJson.endpoint(run.json(), timeoutKey, false);
            assertEquals(4, timeouts.get("cycles").size(), run.json().toString());

            // the connections still open: one bar each, the same ones as the JSON report's, up to the report's time
            int openInAll = 0;
            for (int i = 0; i < lanes.size(); i++) {
                JsonNode open = endpoints.get(i).get("openConnections");
                assertEquals(open.size(), openBars(lanes.get(i)), "lane " + i);
                java.util.Set<String> ids = new java.util.HashSet<>();
                open.forEach(o -> ids.add(o.get("id").asText()));
                for (WebElement bar : lanes.get(i).findElements(By.cssSelector("rect.bar-open"))) {
                    assertTrue(ids.remove(bar.getDomAttribute("data-id")), "lane " + i + ": " + open);
                    assertEquals(laneWidth(lanes.get(i)), rightEdge(bar), 1.0, "drawn to the report's time");
                }
                openInAll += open.size();
            }
            JsonNode held = timeouts.get("openConnections");
            assertEquals(1, held.size(), timeouts.toPrettyString());
            assertEquals(run.agent().printed("port.open"), held.get(0).get("localPort").asText());
            assertFalse(held.get(0).get("openedBeforeRecording").asBoolean());
            assertTrue(held.get(0).get("requestInFlight").asBoolean(), held.toPrettyString());
            assertEquals(2, openInAll, "the held connection, and its accepted side");
            WebElement openBar = lanes.get(timeoutLane).findElement(By.cssSelector("rect.bar-open"));
            assertEquals("bar-open c-stillOpen", openBar.getDomAttribute("class"));
            assertTrue(openBar.getRect().getWidth() > 0);
            new Actions(browser).moveToElement(openBar).perform();
            String openDetail = browser.findElement(By.id("detail")).getText();
            assertTrue(openDetail.contains("local port   " + run.agent().printed("port.open")), openDetail);
            assertTrue(openDetail.contains("in flight    yes"), openDetail);
            assertTrue(openDetail.contains("still open   at the report's time"), openDetail);
            String legend = browser.findElement(By.id("legend")).getText();
            assertTrue(legend.contains("still open") && legend.contains("opened before recording"), legend);
            assertTrue(browser.findElement(By.tagName("header")).getText().contains("all times are UTC"));
            browser.findElement(By.cssSelector("input.cause-filter[value=stillOpen]")).click();
            assertEquals(0, openBars(lanes(browser).get(timeoutLane)), "filtered out");
            assertEquals(4, bars(lanes(browser).get(timeoutLane)), "the closed ones stay");
            browser.findElement(By.cssSelector("input.cause-filter[value=stillOpen]")).click();
            assertEquals(1, openBars(lanes(browser).get(timeoutLane)));
            lanes = lanes(browser); // drawn anew by the filter

            // hover: the connection in full, with its local port and closing frame
            WebElement bar = lanes.get(timeoutLane).findElements(By.cssSelector("rect.bar")).get(0);
            new Actions(browser).moveToElement(bar).perform();
            String detail = browser.findElement(By.id("detail")).getText();
            JsonNode cycle = ReportJson.cycle(timeouts, bar.getDomAttribute("data-id"));
            assertTrue(cycle != null, "the bar is one of the JSON report's cycles");
            assertTrue(detail.contains("local port   " + cycle.get("localPort").asInt()), detail);
            assertTrue(detail.contains("at " + timeouts.get("closedBy").get("frame").asText()), detail);
            assertTrue(detail.contains("read timeout"), detail);
            screenshot(browser, javaHome, "timeline");

            // filter by cause: the read timeouts go, the other lanes stay
            browser.findElement(By.cssSelector("input.cause-filter[value=readTimeout]")).click();
            lanes = lanes(browser);
            assertEquals(0, bars(lanes.get(timeoutLane)));
            for (int i = 0; i < lanes.size(); i++) {
                if (i != timeoutLane) {
                    assertEquals(endpoints.get(i).get("cycles").size(), bars(lanes.get(i)), "lane " + i);
                }
            }
            browser.findElement(By.cssSelector("input.cause-filter[value=readTimeout]")).click();
            // filter by endpoint: only that lane
            new Select(browser.findElement(By.id("endpoint-filter"))).selectByValue(String.valueOf(timeoutLane));
            assertEquals(1, lanes(browser).size());
            assertEquals(timeoutKey, lanes(browser).get(0).getDomAttribute("data-endpoint"));
            new Select(browser.findElement(By.id("endpoint-filter"))).selectByValue("-1");
            assertEquals(endpoints.size(), lanes(browser).size());

            // zoom: drag over the right half of a lane; each lane then draws exactly the connections in that range
            WebElement root = browser.findElement(By.id("report"));
            String from = root.getDomAttribute("data-view-from");
            WebElement zoomed = lanes(browser).get(timeoutLane);
            drag(browser, zoomed, 0, timelineWidth(zoomed) / 2 - 2);
            assertNotEquals(from, root.getDomAttribute("data-view-from"), "zoomed in");
            long viewFrom = Long.parseLong(root.getDomAttribute("data-view-from"));
            long viewTo = Long.parseLong(root.getDomAttribute("data-view-to"));
            lanes = lanes(browser);
            int drawnInZoom = 0;
            for (int i = 0; i < lanes.size(); i++) {
                int expected = 0;
                for (JsonNode c : endpoints.get(i).get("cycles")) {
                    if (c.get("closedAtMicros").asLong() >= viewFrom && openOf(c) <= viewTo) {
                        expected++;
                    }
                }
                assertEquals(expected, bars(lanes.get(i)), "lane " + i + " in " + viewFrom + ".." + viewTo);
                drawnInZoom += expected;
                int openExpected = 0;
                for (JsonNode o : endpoints.get(i).get("openConnections")) {
                    if (o.get("openedAtMicros").isNull() || o.get("openedAtMicros").asLong() <= viewTo) {
                        openExpected++;
                    }
                }
                assertEquals(openExpected, openBars(lanes.get(i)), "lane " + i + " in " + viewFrom + ".." + viewTo);
            }
            int all = 0;
            for (JsonNode e : endpoints) {
                all += e.get("cycles").size();
            }
            assertTrue(drawnInZoom < all, "the zoom left some connections out of view: " + drawnInZoom + " of " + all);
            browser.findElement(By.id("zoom-out")).click();
            assertEquals(from, root.getDomAttribute("data-view-from"), "zoomed back out");
            assertEquals(endpoints.get(timeoutLane).get("cycles").size(), bars(lanes(browser).get(timeoutLane)));
            noConsoleErrors(browser);
        } finally {
            browser.quit();
        }
    }

    /**
     * Thousands of connections in one lane: drawn as density with the exact count, and as bars once zoomed in; then
     * the same page on a dark screen and in print.
     */
    @Test
    void thousandsOfConnectionsAreDrawnAsDensityUntilZoomedIn(@TempDir Path dir) throws Exception {
        int connections = 5_000;
        Path html = dir.resolve("many.html");
        Files.writeString(html, new HtmlReport(Libraries.defaults()).render(
                HtmlFixtures.recording(List.of(HtmlFixtures.endpoint(11211, connections, "main"))), 42, "TestVM", "test"));
        long started = System.nanoTime();
        ChromeDriver browser = open(html);
        try {
            long openMillis = (System.nanoTime() - started) / 1_000_000;
            WebElement lane = lanes(browser).get(0);
            assertEquals("density", lane.getDomAttribute("data-mode"));
            assertEquals(String.valueOf(connections), lane.getDomAttribute("data-bars"));
            assertTrue(lane.getText().contains(connections + " of " + connections + " kept connections in view"), lane.getText());
            assertTrue(lane.getText().contains("(drawn as density"), lane.getText());
            assertTrue(lane.findElements(By.cssSelector("rect.bar")).isEmpty());
            assertFalse(lane.findElements(By.cssSelector("rect.density")).isEmpty());
            assertTrue(openMillis < 20_000, "opened in " + openMillis + " ms");
            // zoom into the start, step by step, until single connections can be told apart
            for (int i = 0; i < 6 && "density".equals(lanes(browser).get(0).getDomAttribute("data-mode")); i++) {
                WebElement zoomed = lanes(browser).get(0);
                int width = timelineWidth(zoomed);
                drag(browser, zoomed, -width / 2 + 1, width / 8);
            }
            lane = lanes(browser).get(0);
            assertEquals("bars", lane.getDomAttribute("data-mode"));
            assertTrue(Integer.parseInt(lane.getDomAttribute("data-bars")) > 0, "connections in view");
            assertEquals(Integer.parseInt(lane.getDomAttribute("data-bars")), lane.findElements(By.cssSelector("rect.bar")).size());

            // readable on a dark screen, and printable without the controls
            String light = browser.findElement(By.tagName("body")).getCssValue("background-color");
            browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("features",
                    List.of(java.util.Map.of("name", "prefers-color-scheme", "value", "dark"))));
            assertEquals("rgba(22, 23, 26, 1)", browser.findElement(By.tagName("body")).getCssValue("background-color"),
                    "dark background (light was " + light + ")");
            browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", "print"));
            assertEquals("none", browser.findElement(By.cssSelector(".controls")).getCssValue("display"));
            noConsoleErrors(browser);
        } finally {
            browser.quit();
        }
    }

    /**
     * Connections still open, one opened while recording and one before it (attach): bars to the report's time,
     * the second from the axis's start in its own colour, both in the filters; the ones not kept in full are said.
     */
    @Test
    void connectionsStillOpenAreDrawnToTheReportsTime(@TempDir Path dir) throws Exception {
        long t0 = HtmlFixtures.T0;
        List<io.socktrace.agent.bootstrap.StillOpen> open = List.of(
                HtmlFixtures.openedBefore(101, 45000, t0 + 500),
                HtmlFixtures.stillOpen(102, 45001, t0 + 5_000_000, t0 + 6_000_000));
        Path html = dir.resolve("open.html");
        Files.writeString(html, new HtmlReport(Libraries.defaults()).render(HtmlFixtures.recording(List.of(
                HtmlFixtures.withOpen(HtmlFixtures.endpoint(11211, 3, "main"), open, 4))), 42, "TestVM", "test"));
        ChromeDriver browser = open(html);
        try {
            WebElement lane = lanes(browser).get(0);
            assertEquals(3, bars(lane));
            assertEquals(2, openBars(lane));
            WebElement before = lane.findElement(By.cssSelector("rect.bar-open[data-id='101']"));
            WebElement still = lane.findElement(By.cssSelector("rect.bar-open[data-id='102']"));
            assertEquals("bar-open c-openedBefore", before.getDomAttribute("class"));
            assertEquals("bar-open c-stillOpen", still.getDomAttribute("class"));
            assertEquals(0.0, Double.parseDouble(before.getDomAttribute("x")), 0.01, "from the axis's start");
            assertTrue(Double.parseDouble(still.getDomAttribute("x")) > 0, "from its open");
            assertEquals(laneWidth(lane), rightEdge(before), 1.0);
            assertEquals(laneWidth(lane), rightEdge(still), 1.0);
            assertTrue(lane.getText().contains("2 of 2 kept still open in view, 4 more open not kept in full"),
                    lane.getText());
            assertTrue(browser.findElement(By.id("left-out")).getText().contains("4 more open were not kept in full"),
                    browser.findElement(By.id("left-out")).getText());
            new Actions(browser).click(before).perform();
            String detail = browser.findElement(By.id("detail")).getText();
            assertTrue(detail.contains("local port   45000"), detail);
            assertTrue(detail.contains("opened before recording: when and by whom unknown"), detail);
            browser.findElement(By.cssSelector("input.cause-filter[value=openedBefore]")).click();
            lane = lanes(browser).get(0);
            assertEquals(1, openBars(lane));
            assertEquals("102", lane.findElement(By.cssSelector("rect.bar-open")).getDomAttribute("data-id"));
            noConsoleErrors(browser);
        } finally {
            browser.quit();
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aThreadNamedAsMarkupShowsAsTextAndRunsNothing(Path javaHome, @TempDir Path dir) throws Exception {
        Run run = run(javaHome, dir);
        String html = Files.readString(run.html());
        assertFalse(html.contains(HtmlTimeline.HOSTILE_THREAD), "the name is escaped in the file");
        ChromeDriver browser = open(run.html());
        try {
            assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "no script of the name ran");
            assertTrue(browser.findElements(By.tagName("img")).isEmpty(), "no element made of the name");
            String timeoutKey = "127.0.0.1:" + run.agent().printed("port.timeout");
            List<WebElement> lanes = lanes(browser);
            WebElement bar = lanes.get(laneOf(lanes, timeoutKey, false)).findElements(By.cssSelector("rect.bar")).get(0);
            new Actions(browser).click(bar).perform();
            String detail = browser.findElement(By.id("detail")).getText();
            assertTrue(detail.contains("by thread \"" + HtmlTimeline.HOSTILE_THREAD + "\""), detail);
            assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
            assertTrue(browser.findElements(By.tagName("img")).isEmpty());
            noConsoleErrors(browser);
            screenshot(browser, javaHome, "hostile-name");
        } finally {
            browser.quit();
        }
    }
}
