package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's own clients and threads in a child JVM with the real agent jar, on every JDK under test:
 * {@code java.net.http.HttpClient} (non-blocking {@code SocketChannel}, selector thread), {@code HttpURLConnection}
 * (keep-alive cache over {@code Socket}), sockets on virtual threads, and Unix domain sockets (excluded: not TCP).
 * Attribution is asserted frame by frame: which code the report names for the connect and the close, and why.
 */
class JdkClientsIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void httpClientClosesOnItsSelectorThreadWhenTheServerDropsAnIdleConnection(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.JdkHttpClientKeepAlive");
        JsonNode report = run.runForJson();
        String port = run.printed("port");
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + port, false);
        String pretty = client.toPrettyString();

        assertEquals("[200, 200, 200]", run.printed("statuses"));
        // two GETs on one kept-alive connection, a new one for the third after the server dropped the first
        assertEquals("opened=2 openedBeforeRecording=0 closed=2 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[SocketChannel]", ReportJson.tally(client), pretty);
        assertEquals(1, client.get("reconnects").asLong(), pretty);
        // both closes come after the server dropped the idle connection: the pool's read saw end of stream. Every
        // request was answered, but by a read on the selector thread, which can return before the calling thread's
        // write has (see aReplyReadOnAnotherThreadBeforeTheWriteReturnedLeavesNoRequestInFlight)
        assertEquals(Map.of("endOfStream", 2L), ReportJson.closes(client), pretty);
        assertEquals(0, client.get("requestInFlightCloses").asLong(), pretty);
        assertEquals("endOfStream", client.get("dominantCause").asText(), pretty);
        List<JsonNode> cycles = ReportJson.cycles(client);
        assertEquals(2, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertEquals("endOfStream", cycle.get("cause").asText(), cycle.toString());
            assertTrue(cycle.get("causeAtMicros").asLong() > 0, cycle.toString());
            assertTrue(cycle.get("closeThread").asText().matches("HttpClient-\\d+-SelectorManager"), cycle.toString());
        }
        assertTrue(cycles.get(0).get("reopenedAfterMicros").asLong() >= 0,
                "the first connection is the one reopened: " + cycles.get(0));

        // the close: the connection pool's cleanup on the selector thread, no application code on the stack
        JsonNode closedBy = client.get("closedBy");
        assertTrue(closedBy.get("frame").isNull(), "JDK code only: " + closedBy);
        assertTrue(closedBy.get("calledFrom").isNull(), "no caller outside the JDK: " + closedBy);
        assertTrue(closedBy.get("application").isNull(), "no application frame: " + closedBy);
        assertCount(2, 2, closedBy);
        JsonNode closeStack = ReportJson.stackOf(report, closedBy);
        JsonNode top = closeStack.get("frames").get(0);
        assertEquals("sun.nio.ch.SocketChannelImpl.implCloseSelectableChannel(SocketChannelImpl.java)",
                top.get("class").asText() + "." + top.get("method").asText() + "(" + top.get("file").asText() + ")",
                closeStack.toString());
        assertTrue(top.get("line").asInt() > 0, closeStack.toString());
        List<String> closeMethods = ReportJson.methods(closeStack);
        assertTrue(closeMethods.contains("jdk.internal.net.http.PlainHttpConnection.close"), closeMethods.toString());
        assertTrue(closeMethods.contains("jdk.internal.net.http.ConnectionPool$CleanupTrigger.onComplete"),
                closeMethods.toString());

        // the reconnect: send() runs the exchange on the calling thread up to the channel's connect
        JsonNode reopenedBy = client.get("reopenedBy");
        assertTrue(reopenedBy.get("frame").asText().startsWith(at("JdkHttpClientKeepAlive", "get")), reopenedBy.toString());
        assertCount(1, 1, reopenedBy);
        assertTrue(reopenedBy.get("calledFrom").asText().startsWith(at("JdkHttpClientKeepAlive", "main")),
                reopenedBy.toString());
        assertNoFurtherApplicationFrame(reopenedBy);
        List<String> connectMethods = ReportJson.methods(ReportJson.stackOf(report, reopenedBy));
        assertTrue(connectMethods.contains("sun.nio.ch.SocketChannelImpl.connect"), connectMethods.toString());
        assertTrue(connectMethods.contains("jdk.internal.net.http.PlainHttpConnection.connectAsync"),
                connectMethods.toString());

        assertServerDroppedIdleClients(report, port);
        assertEquals(2, report.get("totals").get("opened").asLong(), report.get("totals").toString());
        assertEquals(2, report.get("totals").get("accepted").asLong(), report.get("totals").toString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void httpUrlConnectionRetriesAStaleKeptAliveConnectionAndTheApplicationIsNamed(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.HttpUrlConnectionKeepAlive");
        JsonNode report = run.runForJson();
        String port = run.printed("port");
        JsonNode client = ReportJson.endpoint(report, "127.0.0.1:" + port, false);
        String pretty = client.toPrettyString();

        // "hello N" is the server's count per connection: 0, 1 on the kept-alive one, 0 on the new one
        assertEquals("[200 hello 0, 200 hello 1, 200 hello 0]", run.printed("answers"));
        // the keep-alive cache never notices that the server dropped the second connection: it is open at exit
        assertEquals("opened=2 openedBeforeRecording=0 closed=1 open=1 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(client), pretty);
        assertEquals(1, client.get("reconnects").asLong(), pretty);
        // the third GET was written on the stale connection and met end of stream: truly a request in flight.
        // No read timeout: the 1 ms probe of a cached connection is made for streaming POSTs only, and the
        // client's own SO_TIMEOUT (5 s) never elapses.
        assertEquals(Map.of("endOfStream", 1L), ReportJson.closes(client), pretty);
        assertEquals(1, client.get("requestInFlightCloses").asLong(), pretty);
        assertEquals("endOfStream", client.get("dominantCause").asText(), pretty);
        List<JsonNode> cycles = ReportJson.cycles(client);
        assertEquals(1, cycles.size(), pretty);
        JsonNode cycle = cycles.get(0);
        assertEquals("endOfStream", cycle.get("cause").asText(), cycle.toString());
        assertTrue(cycle.get("causeAtMicros").asLong() > 0, cycle.toString());
        assertEquals("main", cycle.get("closeThread").asText(), cycle.toString());
        assertTrue(cycle.get("requestInFlight").asBoolean(), cycle.toString());
        assertTrue(cycle.get("reopenedAfterMicros").asLong() >= 0, "reopened: " + cycle);

        // the close is JDK code (HttpClient.closeServer: end of stream where the status line should be), and the
        // first frame outside the JDK is the application's GET
        JsonNode closedBy = client.get("closedBy");
        assertTrue(closedBy.get("frame").asText().startsWith(at("HttpUrlConnectionKeepAlive", "get")), closedBy.toString());
        assertCount(1, 1, closedBy);
        assertTrue(closedBy.get("calledFrom").asText().startsWith(at("HttpUrlConnectionKeepAlive", "main")),
                closedBy.toString());
        assertNoFurtherApplicationFrame(closedBy);
        List<String> closeMethods = ReportJson.methods(ReportJson.stackOf(report, closedBy));
        assertTrue(closeMethods.contains("sun.net.www.http.HttpClient.closeServer"), closeMethods.toString());
        assertTrue(closeMethods.contains("sun.net.www.http.HttpClient.parseHTTPHeader"), closeMethods.toString());

        // the reconnect is the JDK's one retry of the GET, from the same place
        JsonNode reopenedBy = client.get("reopenedBy");
        assertTrue(reopenedBy.get("frame").asText().startsWith(at("HttpUrlConnectionKeepAlive", "get")),
                reopenedBy.toString());
        assertTrue(reopenedBy.get("calledFrom").asText().startsWith(at("HttpUrlConnectionKeepAlive", "main")),
                reopenedBy.toString());
        assertNoFurtherApplicationFrame(reopenedBy);
        List<String> connectMethods = ReportJson.methods(ReportJson.stackOf(report, reopenedBy));
        assertTrue(connectMethods.contains("sun.net.www.http.HttpClient.openServer"), connectMethods.toString());
        assertTrue(connectMethods.contains("sun.net.www.http.HttpClient.parseHTTPHeader"), connectMethods.toString());

        assertServerDroppedIdleClients(report, port);
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketsOnVirtualThreadsAreCountedAndTimedOutExactlyAsOnPlatformThreads(Path javaHome, @TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(featureVersion(javaHome) >= 21, "virtual threads need JDK 21+: " + javaHome);
        int clients = 20;
        AgentRun run = AgentRun.on(javaHome, dir).options("cycles=25")
                .mainClass("io.socktrace.scenario.VirtualThreadSockets", String.valueOf(clients));
        JsonNode report = run.runForJson();

        assertEquals(String.valueOf(clients + 1), run.printed("virtual"), "every task ran on a virtual thread");
        assertEquals(String.valueOf(clients), run.printed("answered"));
        assertEquals("1", run.printed("timeouts"));

        JsonNode answered = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("port"), false);
        String pretty = answered.toPrettyString();
        assertEquals("opened=20 openedBeforeRecording=0 closed=20 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(answered), pretty);
        assertEquals(Map.of("noError", 20L), ReportJson.closes(answered), pretty);
        assertEquals(0, answered.get("requestInFlightCloses").asLong(), pretty);
        JsonNode closedBy = answered.get("closedBy");
        assertTrue(closedBy.get("frame").asText().startsWith("io.socktrace.scenario.VirtualThreadSockets.lambda$main$"),
                closedBy.toString());
        assertCount(20, 20, closedBy);
        // virtual threads are unnamed: the report names them by thread id
        List<JsonNode> cycles = ReportJson.cycles(answered);
        assertEquals(clients, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertTrue(cycle.get("closeThread").asText().matches("#\\d+"), cycle.toString());
        }

        JsonNode silent = ReportJson.endpoint(report, "127.0.0.1:" + run.printed("silentPort"), false);
        pretty = silent.toPrettyString();
        assertEquals("opened=1 openedBeforeRecording=0 closed=1 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(silent), pretty);
        assertEquals(0, silent.get("reconnects").asLong(), pretty);
        assertEquals(Map.of("readTimeout", 1L), ReportJson.closes(silent), pretty);
        assertEquals(1, silent.get("requestInFlightCloses").asLong(), "every time with a request in flight: " + pretty);
        assertEquals("readTimeout", silent.get("dominantCause").asText(), pretty);
        assertEquals(200, silent.get("timeoutMillis").asInt(), pretty);
        assertTrue(silent.get("closedBy").get("frame").asText().startsWith(at("VirtualThreadSockets", "giveUp")), pretty);
        JsonNode timedOut = ReportJson.cycles(silent).get(0);
        assertEquals("readTimeout", timedOut.get("cause").asText(), timedOut.toString());
        assertEquals(200, timedOut.get("timeoutMillis").asInt(), timedOut.toString());
        // a lower bound only: the read cannot return before SO_TIMEOUT; how much later depends on the machine
        assertTrue(timedOut.get("timeoutBlockedMicros").asLong() >= 200_000, timedOut.toString());
        assertTrue(timedOut.get("closeThread").asText().matches("#\\d+"), timedOut.toString());
        assertTrue(timedOut.get("requestInFlight").asBoolean(), timedOut.toString());

        assertEquals(clients + 1, report.get("totals").get("opened").asLong(), report.get("totals").toString());
        assertEquals(clients + 1, report.get("totals").get("accepted").asLong(), report.get("totals").toString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void unixDomainSocketChannelsAreNotTcpAndAreNotRecorded(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.UnixDomainChannel", dir.toString());
        JsonNode report = run.runForJson();

        assertEquals("true", run.printed("connected"));
        assertEquals("echo ping", run.printed("answer"));
        assertEquals("true", run.printed("eof"));
        // the agent was running and instrumented everything (its only line is where the report went), and
        // recorded nothing
        assertEquals(List.of(), run.stderr().lines()
                .filter(l -> l.startsWith("socktrace") && !l.startsWith("socktrace: report written to "))
                .collect(Collectors.toList()));
        JsonNode totals = report.get("totals");
        assertEquals(0, totals.get("opened").asLong(), totals.toString());
        assertEquals(0, totals.get("accepted").asLong(), totals.toString());
        assertEquals(0, totals.get("failedConnects").asLong(), totals.toString());
        assertEquals(0, report.get("endpoints").size(), "no TCP connections recorded: " + report.get("endpoints"));
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
    }

    /**
     * An accepted connection opens when {@code accept} returns with a client, not when the server thread started
     * waiting in it: a thread-per-connection server calls {@code accept} again at once and may wait there long
     * before the next client comes. The scenario waits {@code 300 ms} after the server dropped the first connection
     * before the GET that opens the second, so the second can open no sooner than 300 ms after that close.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void acceptedConnectionOpensWhenTheClientArrivesNotWhenTheServerStartedWaiting(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.HttpUrlConnectionKeepAlive");
        JsonNode server = ReportJson.endpoint(run.runForJson(), "127.0.0.1:" + run.printed("port"), true);
        String pretty = server.toPrettyString();

        assertEquals(1, server.get("reconnects").asLong(), pretty);
        assertTrue(server.get("medianReconnectGapMicros").asLong() >= 300_000,
                "the client reconnected at least 300 ms after the drop:\n" + pretty);
        List<JsonNode> cycles = ReportJson.cycles(server);
        assertEquals(2, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertTrue(cycle.get("peer").asText().matches("127\\.0\\.0\\.1:\\d+"), cycle.toString());
        }
        long firstClosed = cycles.get(0).get("closedAtMicros").asLong();
        long secondOpened = cycles.get(1).get("openedAtMicros").asLong();
        assertTrue(secondOpened - firstClosed >= 300_000,
                "the second connection opened 300+ ms after the first closed:\n" + pretty);
    }

    /**
     * A request is in flight when bytes were written after the last read. When one thread writes and another reads
     * (a reader thread, a selector), the answer can be read before the writer's {@code write} call has returned:
     * the request was on the wire before the answer existed, so nothing is in flight at the close. Each of the 100
     * connections here has its one request answered before it is closed.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void aReplyReadOnAnotherThreadBeforeTheWriteReturnedLeavesNoRequestInFlight(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.SplitReaderWriter", "100");
        JsonNode client = ReportJson.endpoint(run.runForJson(), "127.0.0.1:" + run.printed("port"), false);

        assertEquals("100", run.printed("answered"));
        assertEquals("opened=100 openedBeforeRecording=0 closed=100 open=0 failedConnects=0 tlsClosed=0 "
                + "transports=[Socket]", ReportJson.tally(client), client.toPrettyString());
        assertEquals(Map.of("noError", 100L), ReportJson.closes(client), client.toPrettyString());
        assertEquals(0, client.get("requestInFlightCloses").asLong(), client.toPrettyString());
    }

    /** Both tests' server side: two connections accepted, each dropped by the server's idle timeout. */
    private static void assertServerDroppedIdleClients(JsonNode report, String port) {
        JsonNode server = ReportJson.endpoint(report, "127.0.0.1:" + port, true);
        String pretty = server.toPrettyString();
        assertEquals("opened=2 openedBeforeRecording=0 closed=2 open=0 failedConnects=0 tlsClosed=0 transports=[Socket]",
                ReportJson.tally(server), pretty);
        // the server had answered every request: nothing was in flight when it dropped the idle connection
        assertEquals(Map.of("readTimeout", 2L), ReportJson.closes(server), pretty);
        assertEquals(0, server.get("requestInFlightCloses").asLong(), pretty);
        assertTrue(server.get("reconnects").asLong() >= 1, "clients reconnected: " + pretty);
        assertEquals("readTimeout", server.get("dominantCause").asText(), pretty);
        assertEquals(300, server.get("timeoutMillis").asInt(), pretty);
        JsonNode closedBy = server.get("closedBy");
        assertTrue(closedBy.get("frame").asText().startsWith(at("KeepAliveHttpServer", "dropIdleClient")),
                closedBy.toString());
        assertCount(2, 2, closedBy);
        List<JsonNode> cycles = ReportJson.cycles(server);
        assertEquals(2, cycles.size(), pretty);
        for (JsonNode cycle : cycles) {
            assertEquals("readTimeout", cycle.get("cause").asText(), cycle.toString());
            assertEquals(300, cycle.get("timeoutMillis").asInt(), cycle.toString());
            assertTrue(cycle.get("closeThread").asText().matches("http-conn-\\d+"), cycle.toString());
        }
    }

    /** An attribution's most frequent stack accounts for {@code count} of {@code of} events, every one sampled. */
    private static void assertCount(long count, long of, JsonNode attribution) {
        assertEquals(count, attribution.get("count").asLong(), attribution.toString());
        assertEquals(of, attribution.get("of").asLong(), attribution.toString());
        assertEquals(0, attribution.get("notSampled").asLong(), attribution.toString());
        assertTrue(attribution.get("stackId").isIntegralNumber(), "its stack is kept: " + attribution);
    }

    /** The application frame is the frame or its caller already, or there is none beyond them. */
    private static void assertNoFurtherApplicationFrame(JsonNode attribution) {
        JsonNode application = attribution.get("application");
        assertTrue(application.isNull() || application.asText().equals(attribution.get("calledFrom").asText()),
                attribution.toString());
    }

    /** The start of a scenario frame: {@code io.socktrace.scenario.Cls.method(Cls.java:}. */
    private static String at(String scenarioClass, String method) {
        return "io.socktrace.scenario." + scenarioClass + "." + method + "(" + scenarioClass + ".java:";
    }

    /** The feature version (17, 25) of the JDK at {@code javaHome}, from its {@code release} file. */
    private static int featureVersion(Path javaHome) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return Integer.parseInt(line.substring("JAVA_VERSION=".length()).replace("\"", "").split("[.+-]")[0]);
            }
        }
        fail("no JAVA_VERSION in " + javaHome.resolve("release"));
        return -1;
    }
}
