package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code attach} is for: the connection a JVM opened long before the agent came, explained when it times out
 * and is closed and reopened. Both ends are in the target JVM, so the accepted side is taken in too.
 */
class OpenedBeforeRecordingIT {

    static Stream<Arguments> javaHomesAndTransports() {
        List<Path> homes = JavaHomes.all();
        return homes.stream().flatMap(home -> Stream.of(Arguments.of(home, "socket"), Arguments.of(home, "channel")));
    }

    @ParameterizedTest
    @MethodSource("javaHomesAndTransports")
    void theConnectionOpenAtAttachIsExplained(Path javaHome, String transport, @TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        Path stop = dir.resolve("stop");
        AgentRun target = AgentRun.on(javaHome, dir).withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading")
                .mainClass("io.socktrace.scenario.OpenBeforeAttach", transport, go.toString(), stop.toString())
                .start();
        JsonNode report;
        try {
            await(target, "ready");
            report = attachRunAndReport(javaHome, target, go, dir);
        } finally {
            Files.writeString(stop, "");
            target.waitFor();
        }
        String apiName = transport.equals("socket") ? "Socket" : "SocketChannel";
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + target.printed("port"), false);
        assertEquals(3, client.get("closed").asLong(), client.toPrettyString());
        assertEquals(3, client.get("closesByCause").get("readTimeout").asLong(), client.toPrettyString());
        assertEquals(3, client.get("requestInFlightCloses").asLong(), client.toPrettyString());
        assertEquals(3, client.get("reconnects").asLong(), client.toPrettyString());
        assertEquals(3, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(1, client.get("openedBeforeRecording").asLong(), client.toPrettyString());
        assertEquals("readTimeout", client.get("dominantCause").asText());
        assertEquals(300, client.get("timeoutMillis").asInt());

        JsonNode first = client.get("cycles").get(0);
        assertTrue(first.get("openedBeforeRecording").asBoolean(), first.toPrettyString());
        assertTrue(first.get("openedAtMicros").isNull(), first.toPrettyString());
        assertTrue(first.get("connectMicros").isNull(), first.toPrettyString());
        assertTrue(first.get("firstSeenAtMicros").asLong() >= report.get("startedAtMicros").asLong());
        assertEquals(Integer.parseInt(target.printed("localPort")), first.get("localPort").asInt());
        assertEquals(apiName, first.get("transport").asText());
        assertEquals("readTimeout", first.get("cause").asText());
        assertTrue(first.get("requestInFlight").asBoolean());
        assertTrue(first.get("reopenedAfterMicros").asLong() >= 0, "the first reconnect pairs with it");
        assertTrue(first.get("closeStackId").asLong() > 0);
        assertEquals(0, first.get("connectStackId").asLong(), "its connect was never seen");
        for (int i = 1; i < 3; i++) {
            assertFalse(client.get("cycles").get(i).get("openedBeforeRecording").asBoolean());
        }

        // the server side of that first connection was accepted before the attach: taken in as accepted. So may
        // the next one be, accepted by the accept call that was already waiting when the agent came.
        JsonNode accepted = ReportJson.endpoint(report, "127.0.0.1:" + target.printed("port"), true);
        long acceptedBefore = accepted.get("openedBeforeRecording").asLong();
        assertTrue(acceptedBefore >= 1 && acceptedBefore <= 2, accepted.toPrettyString());
        assertEquals(4, accepted.get("opened").asLong() + acceptedBefore, accepted.toPrettyString());
        JsonNode serverSide = accepted.get("cycles").get(0);
        assertEquals("127.0.0.1:" + target.printed("localPort"), serverSide.get("peer").asText());
        assertTrue(serverSide.get("openedBeforeRecording").asBoolean(), serverSide.toPrettyString());
        assertEquals("endOfStream", serverSide.get("cause").asText());
        // at the report, two connections still open: the last reconnect, and the one held since before the attach
        JsonNode last = client.get("openConnections");
        assertEquals(1, client.get("open").asLong(), client.toPrettyString());
        assertEquals(1, last.size(), client.toPrettyString());
        assertEquals(0, client.get("openConnectionsOmitted").asLong());
        JsonNode reopened = last.get(0);
        assertFalse(reopened.get("openedBeforeRecording").asBoolean(), reopened.toPrettyString());
        assertTrue(reopened.get("firstSeenAtMicros").isNull(), reopened.toPrettyString());
        assertTrue(reopened.get("openedAtMicros").asLong() >= client.get("cycles").get(2).get("closedAtMicros").asLong(),
                "opened after the last close: " + reopened.toPrettyString());
        assertEquals("main", reopened.get("connectThread").asText());
        assertEquals(apiName, reopened.get("transport").asText());
        assertTrue(reopened.get("connectStackId").asLong() > 0, reopened.toPrettyString());
        assertTrue(reopened.get("localPort").asInt() != Integer.parseInt(target.printed("localPort")));

        JsonNode heldEndpoint = ReportJson.endpoint(report, "127.0.0.1:" + target.printed("heldPort"), false);
        assertEquals(1, heldEndpoint.get("openedBeforeRecording").asLong(), heldEndpoint.toPrettyString());
        assertEquals(1, heldEndpoint.get("open").asLong(), heldEndpoint.toPrettyString());
        assertEquals(0, heldEndpoint.get("opened").asLong() + heldEndpoint.get("closed").asLong());
        JsonNode held = heldEndpoint.get("openConnections").get(0);
        assertTrue(held.get("openedBeforeRecording").asBoolean(), held.toPrettyString());
        assertTrue(held.get("openedAtMicros").isNull(), "its open time is unknown: " + held.toPrettyString());
        assertTrue(held.get("connectMicros").isNull(), held.toPrettyString());
        assertTrue(held.get("connectThread").isNull(), held.toPrettyString());
        assertEquals(0, held.get("connectStackId").asLong());
        assertTrue(held.get("firstSeenAtMicros").asLong() >= report.get("startedAtMicros").asLong());
        assertTrue(held.get("firstSeenAtMicros").asLong() <= report.get("takenAtMicros").asLong());
        assertTrue(held.get("firstSeenAtMicros").asLong() <= held.get("lastWriteAtMicros").asLong(),
                "first seen when the write that showed it started: " + held.toPrettyString());
        assertEquals(Integer.parseInt(target.printed("heldLocalPort")), held.get("localPort").asInt());
        assertTrue(held.get("requestInFlight").asBoolean(), held.toPrettyString());
        assertEquals(8, held.get("bytesWritten").asLong(), "one request line");
        assertEquals(100, report.get("limits").get("openConnectionsPerEndpoint").asInt());

        // the held connection's server side may be taken in too (its read after the attach), as open since before
        JsonNode heldAccepted = null;
        for (JsonNode e : report.get("endpoints")) {
            if (e.get("endpoint").asText().equals("127.0.0.1:" + target.printed("heldPort"))
                    && e.get("accepted").asBoolean()) {
                heldAccepted = e;
            }
        }
        long heldAcceptedBefore = heldAccepted == null ? 0 : heldAccepted.get("openedBeforeRecording").asLong();
        assertTrue(heldAcceptedBefore <= 1, String.valueOf(heldAccepted));
        assertEquals(1 + acceptedBefore + 1 + heldAcceptedBefore,
                report.get("totals").get("openedBeforeRecording").asLong());
        assertTrue(report.get("agent").get("listeningSocketsKnown").asBoolean());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    static Stream<Arguments> javaHomesAndNettyLines() {
        return JavaHomes.all().stream().flatMap(home -> Stream.of(Arguments.of(home, "4.1"), Arguments.of(home, "4.2")));
    }

    /** Netty's native sockets carry only a descriptor: taken in by it, from the kernel's list read at attach. */
    @ParameterizedTest
    @MethodSource("javaHomesAndNettyLines")
    void theNettyEpollConnectionOpenAtAttachIsExplained(Path javaHome, String line, @TempDir Path dir)
            throws Exception {
        Path go = dir.resolve("go");
        Path stop = dir.resolve("stop");
        AgentRun target = AgentRun.on(javaHome, dir).withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading")
                .command("-cp", AgentRun.testClassPath("netty-" + line),
                        "io.socktrace.scenario.netty.EpollOpenBeforeAttach", go.toString(), stop.toString())
                .start();
        JsonNode report;
        try {
            await(target, "ready");
            assertEquals("true", target.printed("epollAvailable"), "the native transport loaded: " + target.stderr());
            assertTrue(target.printed("nettyVersion").startsWith(line + "."), target.printed("nettyVersion"));
            assertEquals("io.netty.channel.epoll.EpollSocketChannel", target.printed("channel"));
            report = attachRunAndReport(javaHome, target, go, dir);
        } finally {
            Files.writeString(stop, "");
            target.waitFor();
        }
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + target.printed("port"), false);
        assertEquals("[\"Netty epoll\"]", client.get("transports").toString());
        assertEquals(1, client.get("openedBeforeRecording").asLong(), client.toPrettyString());
        assertEquals(1, client.get("opened").asLong(), client.toPrettyString());
        assertEquals(2, client.get("closed").asLong(), client.toPrettyString());
        assertEquals(2, client.get("requestInFlightCloses").asLong(), client.toPrettyString());
        assertEquals(1, client.get("reconnects").asLong(), client.toPrettyString());
        assertTrue(client.get("closedBy").get("decidedBy").asText()
                .startsWith("io.netty.handler.timeout.ReadTimeoutHandler.readTimedOut("), client.get("closedBy").toString());
        JsonNode first = client.get("cycles").get(0);
        assertTrue(first.get("openedBeforeRecording").asBoolean(), first.toPrettyString());
        assertEquals(Integer.parseInt(target.printed("localPort")), first.get("localPort").asInt());
        assertEquals("Netty epoll", first.get("transport").asText());
        assertTrue(first.get("requestInFlight").asBoolean(), first.toPrettyString());

        JsonNode accepted = ReportJson.endpoint(report, "127.0.0.1:" + target.printed("port"), true);
        assertEquals(1, accepted.get("openedBeforeRecording").asLong(), accepted.toPrettyString());
        assertEquals(1, accepted.get("opened").asLong(), accepted.toPrettyString());
        assertEquals(2, accepted.get("closesByCause").get("endOfStream").asLong(), accepted.toPrettyString());
        assertEquals("127.0.0.1:" + target.printed("localPort"), accepted.get("cycles").get(0).get("peer").asText());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    /** Attaches to {@code target}, lets it go on, and once it is done reads the JSON report. */
    private static JsonNode attachRunAndReport(Path javaHome, AgentRun target, Path go, Path dir) throws Exception {
        String pid = Long.toString(target.process().pid());
        AttachIT.Cli attach = AttachIT.cli(javaHome, "attach", pid);
        assertEquals(0, attach.exit(), attach.err());
        Files.writeString(go, "");
        await(target, "done");
        Path json = dir.resolve("report.json");
        AttachIT.Cli written = AttachIT.cli(javaHome, "report", pid, "--format", "json", "--output", json.toString());
        assertEquals(0, written.exit(), written.err());
        return ReportJson.parse(Files.readString(json, StandardCharsets.UTF_8));
    }

    private static void await(AgentRun run, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.stdout().lines().anyMatch(line::equals)) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(),
                    "target did not print " + line + ":\n" + run.stdout() + run.stderr());
            Thread.sleep(20);
        }
    }
}
