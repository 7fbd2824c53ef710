package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** The HTML report as a browser shows it: its lanes and bars, its console, a screenshot. */
public final class ReportPage {

    private ReportPage() {
    }

    /** The report opened from disk in a fresh offline browser, its script run; the caller quits the browser. */
    public static ChromeDriver open(Path html) {
        ChromeDriver browser = Browser.start();
        browser.get(html.toUri().toString());
        assertEquals("true", browser.findElement(By.id("report")).getDomAttribute("data-ready"), "the page's script ran");
        return browser;
    }

    public static List<WebElement> lanes(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("section.lane"));
    }

    /** The lane of an endpoint (the accepted side or the made one), by its index in the page. */
    public static int laneOf(List<WebElement> lanes, String endpoint, boolean accepted) {
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).getDomAttribute("data-endpoint").equals(endpoint)
                    && lanes.get(i).getDomAttribute("data-accepted").equals(String.valueOf(accepted))) {
                return i;
            }
        }
        throw new AssertionError("no lane for " + endpoint);
    }

    /** The closed connections drawn in a lane, checked against the bars in it. */
    public static int bars(WebElement lane) {
        int drawn = Integer.parseInt(lane.getDomAttribute("data-bars"));
        assertEquals(drawn, lane.findElements(By.cssSelector("rect.bar")).size(), "each connection in view is a bar");
        return drawn;
    }

    /** The connections still open drawn in a lane, checked against the bars in it. */
    public static int openBars(WebElement lane) {
        int drawn = Integer.parseInt(lane.getDomAttribute("data-open-bars"));
        assertEquals(drawn, lane.findElements(By.cssSelector("rect.bar-open")).size(), "each open one in view is a bar");
        return drawn;
    }

    /** How wide a lane's timeline is drawn, in CSS pixels. */
    public static int timelineWidth(WebElement lane) {
        return lane.findElement(By.cssSelector("svg")).getRect().getWidth();
    }

    /**
     * A drag across a lane's timeline, as a user zooms: pressed {@code fromCentre} pixels right of its centre
     * (negative: left), moved {@code by} pixels, released.
     */
    public static void drag(ChromeDriver browser, WebElement lane, int fromCentre, int by) {
        new Actions(browser).moveToElement(lane.findElement(By.cssSelector("svg")), fromCentre, 0).clickAndHold()
                .moveByOffset(by, 0).release().perform();
    }

    public static void noConsoleErrors(ChromeDriver browser) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).collect(Collectors.toList());
        assertTrue(errors.isEmpty(), "console: " + errors);
    }

    /** Saves what the browser shows as {@code target/html-report/NAME-JDK.png}; returns the file. */
    public static Path screenshot(ChromeDriver browser, Path javaHome, String name) throws IOException {
        Path folder = Path.of("target", "html-report");
        Files.createDirectories(folder);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        return Files.copy(shot, folder.resolve(name + "-" + javaHome.getFileName() + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
