package io.socktrace.agent.report;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The report as one self-contained HTML page: a timeline of every kept connection per endpoint. The page's
 * script and style are this class's resources, inlined; the data goes in a {@code <script type="application/json">}
 * block with {@code <}, {@code >} and {@code &} escaped, so no name from the recording (host, thread, class, file)
 * can end the block or become markup; the script builds the page with {@code textContent} only. A
 * Content-Security-Policy allows only that script and style, by hash, and nothing from the network.
 */
public final class HtmlReport {

    /** Default budget for the embedded data; the page says what did not fit. */
    public static final int DEFAULT_MAX_DATA_BYTES = 10 << 20; // 10,000 cycles of 1,000 endpoints fit (html-10k)

    private static final String SCRIPT = resource("html-report.js");
    private static final String STYLE = resource("html-report.css");

    private final HtmlData data;

    public HtmlReport(Libraries libraries) {
        this(libraries, DEFAULT_MAX_DATA_BYTES);
    }

    public HtmlReport(Libraries libraries, int maxDataBytes) {
        this.data = new HtmlData(libraries, maxDataBytes);
    }

    public String render(RecordingSnapshot r, long pid, String jvm, String trigger) {
        String json = escapeForScript(data.render(r, pid, jvm, trigger));
        StringBuilder out = new StringBuilder(json.length() + SCRIPT.length() + STYLE.length() + 2048);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '")
                .append(hash(SCRIPT)).append("'; style-src '").append(hash(STYLE))
                .append("'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>socktrace report, pid ").append(pid).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<noscript>This report draws its timeline with its own inline script; the same data is in "
                        + "the JSON block below.</noscript>\n")
                .append("<main id=\"report\"></main>\n")
                .append("<script type=\"application/json\" id=\"socktrace-data\">").append(json).append("</script>\n")
                .append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /**
     * JSON that is safe inside a script element: {@code <} (which could start {@code </script>} or
     * {@code <!--}), {@code >} and {@code &} become {@code \\u00XX} escapes, which JSON reads back as the same
     * characters; so do the line separators that older parsers take for line ends.
     */
    static String escapeForScript(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<': out.append("\\u003c"); break;
                case '>': out.append("\\u003e"); break;
                case '&': out.append("\\u0026"); break;
                case '\u2028': out.append("\\u2028"); break;
                case '\u2029': out.append("\\u2029"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    /** The CSP source expression for an inline element's exact text. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new IllegalStateException("cannot read resource " + name, failure);
        }
    }
}
