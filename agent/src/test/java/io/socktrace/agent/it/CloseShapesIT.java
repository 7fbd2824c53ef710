package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Closes that are not plain closes, on real loopback sockets in a child JVM with the agent: a CLOSE_WAIT leak (the
 * peer closed, this JVM kept the socket open), half-closes ({@code shutdownOutput} on a {@code Socket}, a
 * {@code SocketChannel} and an {@code AsynchronousSocketChannel}, {@code shutdownInput}) and abortive closes
 * ({@code SO_LINGER} 0, an RST the peer sees as "Connection reset").
 */
class CloseShapesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aConnectionKeptOpenAfterThePeerClosedIsACloseWaitLeakWithItsOpenerAndLastReader(Path javaHome,
                                                                                        @TempDir Path dir)
            throws Exception {
        Path stop = dir.resolve("stop");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("closeWait=1s")
                .mainClass("io.socktrace.scenario.CloseWaitHold", "1500", stop.toString()).start();
        AttachIT.Cli status;
        try {
            awaitLine(run, "holding=true");
            status = AttachIT.cli(javaHome, "status", Long.toString(run.process().pid()));
        } finally {
            Files.writeString(stop, "");
        }
        assertEquals(0, run.waitFor(), run.stdout() + run.stderr());
        JsonNode report = run.jsonReport();
        // preconditions: both connections read end of stream, and the kernel has the kept one in CLOSE_WAIT
        assertEquals("true", run.printed("controlEof"));
        assertEquals("true", run.printed("keptEof"));
        assertEquals("true", run.printed("keptInCloseWait"), "the kept socket is not in CLOSE_WAIT");
        assertEquals("true", run.printed("lateEof"));

        // one leak still open, one that ended (closed after closeWait): JMX, status, the verdict and the JSON count both
        assertEquals("1", run.printed("jmxCloseWaitLeaks"));
        assertEquals("2", run.printed("jmxCloseWaitLeaksSeen"));
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("\nCLOSE_WAIT leaks: 1 open now, 2 seen (closeWait=1.000 s)\n"), status.out());

        assertEquals(1_000_000, report.get("limits").get("closeWaitMicros").asLong());
        assertEquals(1, report.get("totals").get("closeWaitLeaks").asLong(), report.get("totals").toString());
        assertEquals(1, report.get("totals").get("closeWaitClosedLate").asLong(), report.get("totals").toString());

        JsonNode control = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("closedPort"), false);
        assertEquals(0, control.get("closeWait").get("leaks").asLong(), control.toPrettyString());
        assertEquals(1, control.get("closesByCause").get("endOfStream").asLong(), control.toPrettyString());

        JsonNode kept = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("keptPort"), false);
        String pretty = kept.toPrettyString();
        assertEquals(1, kept.get("open").asLong(), pretty);
        JsonNode closeWait = kept.get("closeWait");
        assertEquals(1, closeWait.get("leaks").asLong(), pretty);
        assertEquals(1, closeWait.get("closedLate").asLong(), pretty);
        assertTrue(kept.get("verdict").asText().endsWith("; 2 CLOSE_WAIT leaks (1 connection the peer closed that this "
                + "JVM still holds open, 1 connection this JVM closed only closeWait or more after the peer had)"), pretty);
        assertFalse(control.get("verdict").asText().contains("CLOSE_WAIT"), control.toPrettyString());
        JsonNode leak = closeWait.get("connections").get(0);
        assertEquals(Integer.parseInt(run.printed("keptLocalPort")), leak.get("localPort").asInt(), pretty);
        assertEquals("Socket", leak.get("transport").asText());
        assertEquals("leak-reader", leak.get("readerThread").asText(), pretty);
        assertEquals("main", leak.get("connectThread").asText(), pretty);
        assertTrue(leak.get("openSinceEndOfStreamMicros").asLong() >= 1_000_000, pretty);
        assertTrue(leak.get("endOfStreamAtMicros").asLong() > leak.get("openedAtMicros").asLong(), pretty);
        List<String> reader = ReportJson.methods(ReportJson.stack(report, leak.get("readerStackId").asLong()));
        assertTrue(reader.contains("io.socktrace.scenario.CloseWaitHold.readToEnd"), "the read that saw end of stream: " + reader);
        List<String> opener = ReportJson.methods(ReportJson.stack(report, leak.get("connectStackId").asLong()));
        assertTrue(opener.contains("io.socktrace.scenario.CloseWaitHold.openForLater"), "the stack that opened it: " + opener);
        assertTrue(closeWait.get("leakedBy").get("frame").asText()
                .startsWith("io.socktrace.scenario.Client.connect(Client.java:"), pretty);
        assertTrue(closeWait.get("leakedBy").get("calledFrom").asText()
                .startsWith("io.socktrace.scenario.CloseWaitHold.openForLater(CloseWaitHold.java:"), pretty);
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void shutdownOutputOnASocketAndAChannelIsAHalfCloseThenANormalClose(Path javaHome, @TempDir Path dir)
            throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .mainClass("io.socktrace.scenario.HalfClose");
        JsonNode report = run.runForJson();
        // preconditions: the server read the whole request to end of stream, which only the FIN could give it
        assertEquals("got 6", run.printed("socketAnswer"));
        assertEquals("got 14", run.printed("channelAnswer"));
        assertEquals("-1", run.printed("deafRead"));

        JsonNode socket = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("socketPort"), false);
        String pretty = socket.toPrettyString();
        assertEquals(1, socket.get("outputShutdowns").asLong(), pretty);
        assertEquals(1, socket.get("inputShutdowns").asLong(), pretty);
        assertEquals(0, socket.get("resetsSent").asLong(), pretty);
        assertEquals(2, socket.get("closed").asLong(), pretty);
        List<JsonNode> cycles = ReportJson.cycles(socket);
        JsonNode halfClosed = cycles.get(0);
        assertTrue(halfClosed.get("shutdownOutputAtMicros").asLong() > halfClosed.get("lastWriteAtMicros").asLong(),
                pretty);
        assertTrue(halfClosed.get("closedAtMicros").asLong() > halfClosed.get("shutdownOutputAtMicros").asLong(),
                pretty);
        assertEquals(0, halfClosed.get("shutdownInputAtMicros").asLong(), pretty);
        assertEquals("endOfStream", halfClosed.get("cause").asText(), "read on to the server's close: " + pretty);
        assertFalse(halfClosed.get("resetSent").asBoolean(), pretty);
        JsonNode deaf = cycles.get(1);
        assertTrue(deaf.get("shutdownInputAtMicros").asLong() > 0, pretty);
        assertEquals("noError", deaf.get("cause").asText(), "its own shutdownInput is no end of stream: " + pretty);

        JsonNode channel = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("channelPort"), false);
        assertEquals(1, channel.get("outputShutdowns").asLong(), channel.toPrettyString());
        assertEquals(0, channel.get("inputShutdowns").asLong(), channel.toPrettyString());
        JsonNode channelCycle = ReportJson.cycles(channel).get(0);
        assertEquals("SocketChannel", channelCycle.get("transport").asText());
        assertTrue(channelCycle.get("shutdownOutputAtMicros").asLong() > 0, channel.toPrettyString());
        assertEquals("endOfStream", channelCycle.get("cause").asText(), channel.toPrettyString());

        assertEquals("got 9", run.printed("asyncAnswer"));
        JsonNode async = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("asyncPort"), false);
        assertEquals("[\"AsynchronousSocketChannel\"]", async.get("transports").toString(), async.toPrettyString());
        assertEquals(1, async.get("outputShutdowns").asLong(), async.toPrettyString());
        assertTrue(ReportJson.cycles(async).get(0).get("shutdownOutputAtMicros").asLong() > 0, async.toPrettyString());

        JsonNode totals = report.get("totals");
        assertEquals(3, totals.get("outputShutdowns").asLong(), totals.toString());
        assertEquals(1, totals.get("inputShutdowns").asLong(), totals.toString());

        List<String> socketEvents = new ArrayList<>();
        JsonNode shutdownEvent = null;
        for (String line : Files.readAllLines(trace)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("endpoint").asText().equals("127.0.0.1:" + run.printed("channelPort"))
                    && event.get("event").asText().equals("shutdown_output")) {
                shutdownEvent = event;
            }
            if (event.get("endpoint").asText().equals("127.0.0.1:" + run.printed("socketPort"))
                    && !event.get("accepted").asBoolean()) {
                socketEvents.add(event.get("event").asText());
            }
        }
        assertEquals(List.of("connect", "shutdown_output", "end_of_stream", "close", "connect", "shutdown_input",
                "close"), socketEvents);
        assertTrue(shutdownEvent != null && shutdownEvent.get("frames").toString()
                .contains("\"method\":\"finishRequest\""), String.valueOf(shutdownEvent));
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aCloseWithSoLingerZeroIsAResetSentByThisJvm(Path javaHome, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .mainClass("io.socktrace.scenario.LingerZeroClose");
        JsonNode report = run.runForJson();
        // preconditions: the peer really saw a reset from the lingering closes, and end of stream from the plain one
        assertEquals("Connection reset", run.printed("socketPeerSaw"));
        assertEquals("Connection reset", run.printed("channelPeerSaw"));
        assertEquals("end of stream", run.printed("plainPeerSaw"));

        for (String port : List.of("socketPort", "channelPort")) {
            JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + run.printed(port), false);
            String pretty = client.toPrettyString();
            assertEquals(1, client.get("resetsSent").asLong(), pretty);
            JsonNode cycle = ReportJson.cycles(client).get(0);
            assertTrue(cycle.get("resetSent").asBoolean(), pretty);
            assertEquals("noError", cycle.get("cause").asText(), "this JVM decided the close: " + pretty);
            // the peer's side of it, recorded where it accepted: a reset
            JsonNode server = ReportJson.endpoint(report, "127.0.0.1:" + run.printed(port), true);
            assertEquals(1, server.get("closesByCause").get("reset").asLong(), server.toPrettyString());
            assertFalse(ReportJson.cycles(server).get(0).get("resetSent").asBoolean(), server.toPrettyString());
        }
        JsonNode plain = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("plainPort"), false);
        assertEquals(0, plain.get("resetsSent").asLong(), plain.toPrettyString());
        assertFalse(ReportJson.cycles(plain).get(0).get("resetSent").asBoolean());
        assertEquals(2, report.get("totals").get("resetsSent").asLong(), report.get("totals").toString());

        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("endpoint").asText().equals("127.0.0.1:" + run.printed("socketPort"))
                    && !event.get("accepted").asBoolean()) {
                events.add(event.get("event").asText());
                if (event.get("event").asText().equals("reset_sent")) {
                    assertTrue(event.get("frames").toString().contains("\"method\":\"abort\""), event.toString());
                }
            }
        }
        assertEquals(List.of("connect", "reset_sent", "close"), events);
    }

    private static void awaitLine(AgentRun run, String line) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (run.stdout().lines().noneMatch(line::equals)) {
            assertTrue(System.nanoTime() < deadline && run.process().isAlive(),
                    "no " + line + ":\n" + run.stdout() + run.stderr());
            Thread.sleep(20);
        }
    }
}
