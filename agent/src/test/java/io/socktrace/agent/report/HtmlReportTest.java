package io.socktrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report's own guarantees: names stay data, only its own script runs, and the size is bounded and said. */
class HtmlReportTest {

    private static final String HOSTILE = "</script><img src=x onerror=alert(1)>&amp;\u2028";

    private static JsonNode data(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"socktrace-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), html);
        return new ObjectMapper().readTree(m.group(1));
    }

    @Test
    void namesAreEscapedDataAndReadBackWhole() throws Exception {
        String html = new HtmlReport(Libraries.defaults()).render(HtmlFixtures.recording(List.of(HtmlFixtures.endpoint(11211, 2, HOSTILE))),
                42, "TestVM <17>", "exit");
        // the only script elements are the data block and the page's own script
        assertEquals(2, html.split("</script>", -1).length - 1, html);
        assertEquals(2, html.split("<script", -1).length - 1, html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>"), html);
        assertFalse(html.contains("\u2028"), "line separators escaped too");
        JsonNode data = data(html);
        assertEquals(HOSTILE, data.get("cycles").get(0).get("c").get("closeThread").asText());
        assertEquals("TestVM <17>", data.get("process").get("jvm").asText());
        assertEquals("fail</script>", data.get("stacks").get(0).get("frames").get(1).get("method").asText());
    }

    @Test
    void onlyItsOwnScriptAndStyleMayRunAndNothingIsFetched() throws Exception {
        String html = new HtmlReport(Libraries.defaults()).render(HtmlFixtures.recording(List.of(HtmlFixtures.endpoint(11211, 2, "main"))),
                42, "TestVM", "exit");
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(script.find());
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertTrue(style.find());
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '"
                + HtmlReport.hash(script.group(1)) + "'; style-src '" + HtmlReport.hash(style.group(1)) + "';"), html);
        assertFalse(script.group(1).contains("eval("));
        assertFalse(script.group(1).contains("innerHTML"), "the DOM is built with textContent");
        assertFalse(Pattern.compile("(src|href)\\s*=").matcher(html.replace("<img src=x", "")).find(),
                "no element loads anything");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("://"), "no address but SVG's namespace");
    }

    @Test
    void theDataIsBoundedAndSaysExactlyWhatItLeftOut() throws Exception {
        List<EndpointSnapshot> endpoints = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < 40; i++) {
            endpoints.add(HtmlFixtures.endpoint(10000 + i, 50, "worker-" + i));
            total += 50;
        }
        int budget = 40_000;
        String html = new HtmlReport(Libraries.defaults(), budget).render(HtmlFixtures.recording(endpoints), 42, "TestVM", "exit");
        JsonNode data = data(html);
        String json = html.substring(html.indexOf("id=\"socktrace-data\">"), html.indexOf("</script>"));
        assertTrue(json.length() < budget + 4_000, "bounded: " + json.length());
        JsonNode leftOut = data.get("leftOut");
        assertTrue(leftOut.get("cycles").asLong() > 0, leftOut.toString());
        assertEquals(total, data.get("cycles").size() + leftOut.get("cycles").asLong(), "every cycle drawn or counted");
        assertEquals(40, data.get("endpoints").size() + leftOut.get("endpoints").asLong());
        assertEquals(40 * 3, leftOut.get("cyclesNotKept").asLong(), "the recorder's own drops are said too");
        // a cut takes the newest cycles of every drawn lane in turn: no lane has two more than another
        int lanes = data.get("endpoints").size();
        int[] drawn = new int[lanes];
        for (JsonNode cycle : data.get("cycles")) {
            drawn[cycle.get("lane").asInt()]++;
            assertTrue(cycle.get("c").get("id").asInt() > 50 - 1 - drawn[cycle.get("lane").asInt()], "newest first");
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int count : drawn) {
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        assertTrue(max - min <= 1 && min > 0, java.util.Arrays.toString(drawn));

        String whole = new HtmlReport(Libraries.defaults()).render(HtmlFixtures.recording(endpoints), 42, "TestVM", "exit");
        JsonNode all = data(whole).get("leftOut");
        assertEquals(0, all.get("cycles").asLong() + all.get("endpoints").asLong() + all.get("stacks").asLong());
        assertEquals(total, data(whole).get("cycles").size());
    }
}
