package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * Headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}), never a driver or browser Selenium would download. Missing, it skips the test, or
 * fails it under {@code SOCKTRACE_STRICT=1} (as in CI), like the tests that need memcached or redis. The network
 * is switched off before any page is opened.
 */
public final class Browser {

    private Browser() {
    }

    private static Path found(String variable, String... candidates) {
        String named = System.getenv(variable);
        if (named != null && !named.isBlank()) {
            return Files.isExecutable(Path.of(named)) ? Path.of(named) : null;
        }
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** A fresh offline headless Chromium; the caller quits it. */
    public static ChromeDriver start() {
        Path chromium = found("SOCKTRACE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        Path driver = found("SOCKTRACE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || driver == null) {
            String missing = "Chromium and chromedriver (apt-get install chromium chromium-driver) are not installed";
            if ("1".equals(System.getenv("SOCKTRACE_STRICT"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--no-first-run", "--disable-extensions");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        browser.setNetworkConditions(offline);
        return browser;
    }
}
