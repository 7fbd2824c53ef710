package io.socktrace.bench.suite;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven through its chromedriver over the W3C WebDriver protocol (JSON over HTTP on
 * loopback, with the JDK's HTTP client: no WebDriver library in the bench jar, whose size the start-up rows would
 * feel). Started with the same flags as the agent's browser test ({@code Browser}); scripts answer with strings.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Pattern SESSION = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STRING_VALUE = Pattern.compile("^\\{\\s*\"value\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final ChildProcess driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String session;

    private HeadlessChromium(ChildProcess driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    static Path chromium() {
        return found("SOCKTRACE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    }

    static Path chromedriver() {
        return found("SOCKTRACE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    }

    /** Why the browser cannot run here, or {@code null} if it can. */
    static String missing() {
        if (chromium() == null || chromedriver() == null) {
            return "Chromium and chromedriver not found (apt-get install chromium chromium-driver; or name them with "
                    + "SOCKTRACE_CHROMIUM and SOCKTRACE_CHROMEDRIVER)";
        }
        return null;
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

    /** A fresh browser with its own profile directory under {@code workDir}; the caller closes it. */
    static HeadlessChromium start(Launcher launcher) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ChildProcess driver = ChildProcess.start(List.of(chromedriver().toString(), "--port=" + port,
                "--allowed-ips=127.0.0.1"), launcher.stderrFile("chromedriver"));
        try {
            driver.awaitLine(l -> l.contains("started successfully"), 30_000);
            String base = "http://127.0.0.1:" + port;
            Path profile = Files.createTempDirectory(launcher.workDir(), "chromium-profile-");
            String args = String.join(",", List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions",
                    "--no-first-run", "--window-size=1280,1000", "--user-data-dir=" + profile)
                    .stream().map(HeadlessChromium::quote).toList());
            String body = "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\",\"goog:chromeOptions\":{"
                    + "\"binary\":" + quote(chromium().toString()) + ",\"args\":[" + args + "]}}}}";
            String answer = send(HttpClient.newHttpClient(), "POST", base + "/session", body);
            Matcher m = SESSION.matcher(answer);
            if (!m.find()) {
                throw new IOException("chromedriver gave no session: " + answer);
            }
            HeadlessChromium browser = new HeadlessChromium(driver, base, m.group(1));
            send(browser.http, "POST", base + "/session/" + browser.session + "/timeouts",
                    "{\"script\":120000,\"pageLoad\":300000}");
            return browser;
        } catch (IOException | RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** Opens {@code uri} and returns when it has loaded (a page's inline scripts have run). */
    void open(String uri) throws IOException, InterruptedException {
        send(http, "POST", base + "/session/" + session + "/url", "{\"url\":" + quote(uri) + "}");
    }

    /** Runs {@code script}, which calls {@code done(string)} when it is done. */
    String runAsync(String script) throws IOException, InterruptedException {
        return value(send(http, "POST", base + "/session/" + session + "/execute/async",
                "{\"script\":" + quote("var done = arguments[arguments.length - 1];\n" + script) + ",\"args\":[]}"));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send(http, "DELETE", base + "/session/" + session, null);
            send(http, "GET", base + "/shutdown", null); // chromedriver's own: it exits
        } catch (IOException ignored) {
            // it is ended below anyway
        } finally {
            driver.close();
        }
    }

    private static String value(String answer) throws IOException {
        Matcher m = STRING_VALUE.matcher(answer);
        if (!m.find()) {
            throw new IOException("the script returned no string: " + answer);
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String send(HttpClient http, String method, String uri, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json; charset=utf-8");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + uri + ": HTTP " + answer.statusCode() + " "
                    + answer.body());
        }
        return answer.body();
    }

    /** A JSON string. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
