package io.socktrace.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void defaultsWhenNoArguments() {
        for (String none : new String[] {null, "", "  "}) {
            AgentConfig config = AgentConfig.parse(none);
            assertNull(config.reportPath());
            assertEquals("USR1", config.signal());
            assertEquals(5, config.cycles());
            assertEquals(64, config.stackDepth());
            assertEquals(4096, config.maxStacks());
            assertEquals(1024, config.maxEndpoints());
            assertEquals(100_000, config.maxConnections());
            assertEquals(5_000_000_000L, config.reconnectWindowNanos());
        }
    }

    @Test
    void parsesEveryOption() {
        AgentConfig config = AgentConfig.parse("report=/tmp/r.txt,signal=usr2,cycles=10,stackDepth=8,maxStacks=100,"
                + "maxEndpoints=3,maxConnections=50,reconnectWindow=250ms");
        assertEquals("/tmp/r.txt", config.reportPath());
        assertEquals("USR2", config.signal());
        assertEquals(10, config.cycles());
        assertEquals(8, config.stackDepth());
        assertEquals(100, config.maxStacks());
        assertEquals(3, config.maxEndpoints());
        assertEquals(50, config.maxConnections());
        assertEquals(250_000_000L, config.reconnectWindowNanos());
        assertNull(AgentConfig.parse("signal=off").signal());
        assertNull(AgentConfig.parse("report=stderr").reportPath());
        assertEquals(120_000_000_000L, AgentConfig.parse("reconnectWindow=2m").reconnectWindowNanos());
        assertEquals(3_000_000_000L, AgentConfig.parse("reconnectWindow=3s").reconnectWindowNanos());
    }

    @Test
    void systemPropertiesSetOptionsAndArgumentsWin() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("socktrace.cycles", "7");
        properties.setProperty("socktrace.format", "json");
        properties.setProperty("unrelated.cycles", "9");
        AgentConfig config = AgentConfig.parse("format=text", properties);
        assertEquals(7, config.cycles());
        assertEquals("text", config.format());
        properties.setProperty("socktrace.cycles", "zero");
        assertEquals("bad value 'zero' for option 'cycles' (accepted: 1..1000)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("", properties)).getMessage());
    }

    @Test
    void reportFileDefaultsToTheTemporaryDirectoryWithThePid() {
        String expected = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "socktrace-" + ProcessHandle.current().pid() + ".json").toString();
        assertEquals(expected, AgentConfig.parse("report=file,format=json").reportPath());
        assertEquals("html", AgentConfig.parse("format=html").format());
        assertEquals(expected.replace(".json", ".html"), AgentConfig.parse("report=file,format=html").reportPath());
    }

    @Test
    void unknownKeyNamesItAndListsTheAcceptedOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.parse("cycles=3,nosuchoption=1"));
        assertEquals("unknown option 'nosuchoption' (accepted options: report, format, trace, jfr, libraries, signal, "
                + "cycles, stackDepth, maxStacks, stackRate, maxEndpoints, maxConnections, reconnectWindow, cache, closeWait, "
                + "trigger)", e.getMessage());
    }

    @Test
    void badValuesNameTheOptionAndWhatItAccepts() {
        assertEquals("bad value '0' for option 'cycles' (accepted: 1..1000)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("cycles=0")).getMessage());
        assertEquals("bad value 'x' for option 'maxStacks' (accepted: 16..1000000)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("maxStacks=x")).getMessage());
        assertEquals("bad value '5' for option 'reconnectWindow' (accepted: DURATION, e.g. 500ms, 5s, 2m)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("reconnectWindow=5")).getMessage());
        assertEquals("bad value '' for option 'report' (accepted: stderr|file|PATH)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("report=")).getMessage());
        assertEquals("malformed option 'cycles' (expected key=value; accepted options: report, format, trace, jfr, "
                        + "libraries, signal, cycles, stackDepth, maxStacks, stackRate, maxEndpoints, maxConnections, "
                        + "reconnectWindow, cache, closeWait, trigger)",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("cycles")).getMessage());
    }

    @Test
    void closeWaitIsADurationOfTenSecondsByDefault() {
        assertEquals(10_000_000_000L, AgentConfig.parse(null).closeWaitNanos());
        assertEquals(1_000_000_000L, AgentConfig.parse("closeWait=1s").closeWaitNanos());
        assertEquals(500_000_000L, AgentConfig.parse("closeWait=500ms").closeWaitNanos());
        assertTrue(AgentConfig.parse("closeWait=2m").describe().contains("closeWait=120000ms"));
        ConfigException bad = assertThrows(ConfigException.class, () -> AgentConfig.parse("closeWait=soon"));
        assertTrue(bad.getMessage().contains("closeWait"), bad.getMessage());
    }
}
