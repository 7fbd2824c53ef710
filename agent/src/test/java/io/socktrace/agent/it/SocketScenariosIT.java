package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.net.Socket} clients in a child JVM with the real agent jar, on every JDK under test: each scenario
 * drives real loopback sockets and the test reads the JSON report the agent wrote at exit.
 */
class SocketScenariosIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void plainCloseIsOneCloseWithNoErrorWhicheverLayerClosed(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.PlainClose");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);

        assertEquals("opened=3 openedBeforeRecording=0 closed=3 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(client), client.toPrettyString());
        assertEquals(2, client.get("reconnects").asLong(), client.toPrettyString());
        assertEquals(Map.of("noError", 3L), ReportJson.closes(client), client.toPrettyString());
        assertEquals(0, client.get("requestInFlightCloses").asLong());
        assertEquals("noError", client.get("dominantCause").asText());
        // three closing paths (socket, input stream, output stream): the most frequent is one of them, by line
        JsonNode closedBy = client.get("closedBy");
        assertTrue(closedBy.get("frame").asText().startsWith("io.socktrace.scenario.PlainClose.release(PlainClose.java:"),
                closedBy.toString());
        assertTrue(closedBy.get("calledFrom").asText().startsWith("io.socktrace.scenario.PlainClose.main(PlainClose.java:"),
                closedBy.toString());
        JsonNode reopenedBy = client.get("reopenedBy");
        assertTrue(reopenedBy.get("frame").asText().startsWith("io.socktrace.scenario.Client.connect(Client.java:"),
                reopenedBy.toString());
        assertEquals("answer=ok\nanswer=ok\nanswer=ok", run.stdout().lines().filter(l -> l.startsWith("answer="))
                .reduce((a, b) -> a + "\n" + b).orElse(""));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketClassesLoadedBeforeTheAgentAreRetransformed(Path javaHome, @TempDir Path dir) throws Exception {
        Path early = dir.resolve("early-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "io.socktrace.scenario.EarlySocketAgent");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(early), manifest)) {
            String entry = "io/socktrace/scenario/EarlySocketAgent.class";
            jar.putNextEntry(new JarEntry(entry));
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jar);
            }
        }
        AgentRun run = AgentRun.on(javaHome, dir).jvmArgBeforeAgent("-javaagent:" + early)
                .mainClass("io.socktrace.scenario.PlainClose");
        JsonNode report = run.runForJson();

        assertTrue(run.stdout().contains("earlyLoaded=true"), run.stdout());
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        assertEquals(3, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(3, client.get("closed").asLong(), client.toPrettyString());
        assertEquals(3, report.get("totals").get("opened").asLong(), "the early agent's connection predates recording");
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void peerCloseIsEndOfStreamAndThePeerClosedFirst(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.PeerClose");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);

        assertEquals("true", run.printed("eof"));
        assertEquals(1, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(1, client.get("closed").asLong(), client.toPrettyString());
        assertEquals(0, client.get("reconnects").asLong(), client.toPrettyString());
        assertEquals(Map.of("endOfStream", 1L), ReportJson.closes(client), client.toPrettyString());
        assertEquals(0, client.get("requestInFlightCloses").asLong());
        assertEquals("endOfStream", client.get("dominantCause").asText());
        assertTrue(client.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.PeerClose.onEndOfStream(PeerClose.java:"), client.toPrettyString());
        JsonNode cycle = ReportJson.cycles(client).get(0);
        assertEquals("endOfStream", cycle.get("cause").asText());
        assertTrue(cycle.get("causeAtMicros").asLong() > 0, "when the end of stream was read: " + cycle);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void readTimeoutIsTheCauseWithTheRequestInFlight(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ReadTimeout");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = client.toPrettyString();

        assertEquals("2", run.printed("timeouts"));
        assertEquals(2, client.get("opened").asLong(), pretty);
        assertEquals(2, client.get("closed").asLong(), pretty);
        assertEquals(1, client.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("readTimeout", 2L), ReportJson.closes(client), pretty);
        assertEquals(2, client.get("requestInFlightCloses").asLong(), "every time with a request in flight");
        assertEquals("readTimeout", client.get("dominantCause").asText());
        assertEquals(300, client.get("timeoutMillis").asInt());
        // the request was sent before the 300 ms read that timed out
        long inFlight = client.get("medianInFlightMicros").asLong();
        assertTrue(inFlight >= 300_000 && inFlight < 400_000, "sent " + inFlight + " us before the close");
        assertTrue(client.get("medianReconnectGapMicros").asLong() >= 0, pretty);
        assertTrue(client.get("closedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.ReadTimeout.giveUp(ReadTimeout.java:"), pretty);
        assertTrue(client.get("reopenedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.Client.connect(Client.java:"), pretty);
        // the timeline: each cycle has the timeout with the SO_TIMEOUT and how long the read blocked
        List<JsonNode> cycles = ReportJson.cycles(client);
        assertEquals(2, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertTrue(cycle.get("localPort").asInt() > 0, cycle.toString());
            assertEquals("readTimeout", cycle.get("cause").asText(), cycle.toString());
            assertTrue(cycle.get("causeAtMicros").asLong() > 0, cycle.toString());
            assertEquals(300, cycle.get("timeoutMillis").asInt(), cycle.toString());
            long blocked = cycle.get("timeoutBlockedMicros").asLong();
            assertTrue(blocked >= 300_000 && blocked < 400_000, "blocked " + blocked + " us: " + cycle);
            assertTrue(cycle.get("requestInFlight").asBoolean(), cycle.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void refusedConnectsAreFailedAttemptsAndTheApplicationStillSeesThem(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConnectRefused");
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);

        assertEquals("3", run.printed("refused"));
        assertEquals(0, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(3, client.get("failedConnects").asLong(), client.toPrettyString());
        assertEquals(Map.of("refused", 3L), ReportJson.counts(client.get("failedConnectsByReason")));
        JsonNode failedBy = client.get("failedBy");
        assertTrue(failedBy.get("frame").asText().startsWith("io.socktrace.scenario.Client.connect(Client.java:"),
                failedBy.toString());
        assertEquals(3, report.get("totals").get("failedConnects").asLong());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void concurrentChurnIsCountedExactly(Path javaHome, @TempDir Path dir) throws Exception {
        int threads = 8;
        int perThread = 100;
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.ConcurrentChurn",
                String.valueOf(threads), String.valueOf(perThread));
        JsonNode report = run.runForJson();
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        int total = threads * perThread;

        assertEquals(String.valueOf(total), run.printed("completed"));
        assertEquals(total, client.get("opened").asLong());
        assertEquals(total, client.get("closed").asLong());
        assertEquals(0, client.get("open").asLong());
        assertEquals(Map.of("noError", (long) total), ReportJson.closes(client));
        assertEquals(0, client.get("requestInFlightCloses").asLong());
        // every connect after a close pairs with it, except at most one per thread (see EndpointAggregate)
        long reconnects = client.get("reconnects").asLong();
        assertTrue(reconnects >= total - threads && reconnects <= total - 1, "reconnects " + reconnects);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }
}
