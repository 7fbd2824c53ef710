package io.socktrace.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code trigger=KIND:N/UNIT}: parsed like the other options, a bad value named in one message. */
class TriggerOptionTest {

    @Test
    void offByDefault() {
        assertNull(AgentConfig.parse("").trigger());
        assertEquals(true, AgentConfig.parse("").describe().contains(",trigger=off"));
    }

    @Test
    void aRateWithAUnit() {
        TriggerRule rule = AgentConfig.parse("trigger=reconnects:10/min").trigger();
        assertEquals("reconnects", rule.kind());
        assertEquals(10, rule.count());
        assertEquals(60_000_000_000L, rule.intervalNanos());
        assertEquals(true, AgentConfig.parse("trigger=reconnects:10/min").describe().contains(",trigger=reconnects:10/min"));
        assertEquals(1_000_000_000L, AgentConfig.parse("trigger=failedConnects:3/s").trigger().intervalNanos());
        assertEquals(3_600_000_000_000L, AgentConfig.parse("trigger=reconnects:100/h").trigger().intervalNanos());
    }

    @Test
    void anExplicitInterval() {
        TriggerRule rule = AgentConfig.parse("trigger=failedConnects:20/30s").trigger();
        assertEquals("failedConnects", rule.kind());
        assertEquals(30_000_000_000L, rule.intervalNanos());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reconnects", "reconnects:10", "reconnects:ten/min", "reconnects:0/min", "closes:10/min",
        "reconnects:10/fortnight", "reconnects:10/10ms", ":10/min", "reconnects:-1/min"})
    void badValuesNameTheOptionAndWhatItAccepts(String value) {
        assertEquals("bad value '" + value + "' for option 'trigger' (accepted: off|reconnects:N/UNIT|"
                        + "failedConnects:N/UNIT (UNIT: s, min, h or a duration, e.g. 30s))",
                assertThrows(ConfigException.class, () -> AgentConfig.parse("trigger=" + value)).getMessage());
    }
}
