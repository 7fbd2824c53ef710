package io.socktrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.analysis.Libraries;
import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Cycles;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.IdleHistory;
import io.socktrace.agent.bootstrap.IdleObservations;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextReportTest {

    private static final StackTrace CLOSE = StackTrace.of(7,
            new String[] {"java.net.Socket", "demo.Pool", "demo.App"}, new String[] {"close", "failure", "run"},
            new String[] {"Socket.java", "Pool.java", "App.java"}, new int[] {1575, 88, 31});

    private static RecordingSnapshot recording() {
        EndpointSnapshot e = new EndpointSnapshot(new Endpoint("127.0.0.1", 2004, "tyrant"), 3, 0, 2, 1, 2, 0, 2, 0,
                Map.of(Transport.SOCKET, 3L), 1_000_000L, 3_000_000L, Map.of(CloseCause.READ_TIMEOUT, 2L), Map.of(), Map.of(7, 2L), Map.of(),
                Map.of(), Map.of(1000, 2L), new long[] {1_000_000, 1_000_000}, new long[] {200, 200},
                new long[] {100, 100}, new long[] {1_000_000, 1_000_000}, new Cycle[0], 0);
        return new RecordingSnapshot(0, 3_500_000L, new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L),
                List.of(e), List.of(CLOSE), 3, 0, 0, 0, 0, 0, true, 1, "recording: java.lang.IllegalStateException: test",
                Map.of("recording", 1L), Map.of());
    }

    @Test
    void rendersHeaderEndpointStacksAndHealth() {
        String text = new TextReport(ZoneOffset.UTC, io.socktrace.agent.analysis.Libraries.defaults()).render(recording(), "pid 42  TestVM 17", "signal SIGUSR1");
        String[] lines = text.split("\n");
        assertEquals("socktrace report (signal SIGUSR1)  pid 42  TestVM 17", lines[0]);
        assertEquals("recorded 1970-01-01 00:00:00.000 .. 00:00:03.500000 Z (3.500 s)", lines[1]);
        assertEquals("connections: 3 opened, 0 accepted, 0 failed to connect, 2 closed, 1 open   reconnects: 2 to 1 endpoint", lines[2]);
        assertTrue(text.contains("\ntyrant/127.0.0.1:2004   2 reconnects in 2.000 s (60.0/min)   opened 3  closed 2  open 1  via Socket\n"), text);
        assertTrue(text.contains("\n  closes       2 after a read timeout; 2 with a request in flight\n"), text);
        assertTrue(text.contains("\n  closed by    demo.Pool.failure(Pool.java:88)   2 of 2  [s7]\n"
                + "                 called from demo.App.run(App.java:31)\n"), text);
        assertTrue(text.contains("\nstacks (1 distinct, 3 captures not kept: maxStacks=64 reached)\n  [s7] 0x\n"
                + "      at java.net.Socket.close(Socket.java:1575)\n"), text);
        assertTrue(text.endsWith("agent: 1 internal errors (recording 1; last: recording: java.lang.IllegalStateException: "
                + "test), 0 connections "
                + "untracked (maxConnections=16), 0 to endpoints beyond maxEndpoints=8\n"), text);
        for (String line : lines) {
            if (line.startsWith("  verdict") || line.startsWith("               ")) {
                assertTrue(line.length() <= TextReport.WIDTH + 20, "verdict wrapped: " + line);
            }
        }
    }

    @Test
    void wrapKeepsWordsAndIndentsContinuations() {
        StringBuilder out = new StringBuilder();
        TextReport.wrap(out, "  label  ", "word ".repeat(40).trim());
        String[] lines = out.toString().split("\n");
        assertTrue(lines.length > 1);
        assertTrue(lines[1].startsWith("         word"), lines[1]);
        assertEquals(40, out.toString().split("word", -1).length - 1);
    }

    @Test
    void fileReportsAreReplacedWholeAndSayWhere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.txt");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ReportWriter writer = new ReportWriter(file, new java.io.PrintStream(err, true));
        writer.write("first\n");
        writer.write("second\n");
        assertEquals("second\n", Files.readString(file));
        assertTrue(Files.notExists(dir.resolve("report.txt.partial")));
        String said = "socktrace: report written to " + file.toAbsolutePath() + System.lineSeparator();
        assertEquals(said + said, err.toString());
    }

    // The wording end-to-end tests once read from the text report: every line of an endpoint block, the verdict
    // for each kind of ending, and how attributions read when no application frame or no stack is known.

    /**
     * 2099-03-01 12:00:00 UTC in microseconds since the epoch: the rendering tests' time zero. Later than any run,
     * so that its {@link io.socktrace.agent.bootstrap.Clock} readings are positive, as the recorder's are.
     */
    private static final long T0 = 4_076_049_600_000_000L;

    private static final StackTrace CONNECT = StackTrace.of(1,
            new String[] {"sun.nio.ch.NioSocketImpl", "java.net.Socket", "demo.memcache.Pool", "demo.memcache.Pool", "demo.App"},
            new String[] {"connect", "connect", "find", "store", "run"},
            new String[] {"NioSocketImpl.java", "Socket.java", "Pool.java", "Pool.java", "App.java"},
            new int[] {629, 633, 52, 60, 31});
    private static final StackTrace POOL_CLOSE = StackTrace.of(2,
            new String[] {"java.net.Socket", "demo.memcache.Pool", "demo.memcache.Pool", "demo.App"},
            new String[] {"close", "failure", "store", "run"},
            new String[] {"Socket.java", "Pool.java", "Pool.java", "App.java"},
            new int[] {1575, 88, 64, 31});
    private static final StackTrace JDK_CLOSE = StackTrace.of(3,
            new String[] {"sun.nio.ch.SocketChannelImpl", "jdk.internal.net.http.PlainHttpConnection", "java.lang.Thread"},
            new String[] {"implCloseSelectableChannel", "close", "run"},
            new String[] {"SocketChannelImpl.java", "PlainHttpConnection.java", "Thread.java"},
            new int[] {500, 300, 1583});
    private static final StackTrace ACCEPT = StackTrace.of(4,
            new String[] {"sun.nio.ch.NioSocketImpl", "java.net.ServerSocket", "demo.server.Listener"},
            new String[] {"accept", "accept", "serve"},
            new String[] {"NioSocketImpl.java", "ServerSocket.java", "Listener.java"},
            new int[] {760, 575, 40});
    private static final StackTrace SERVER_CLOSE = StackTrace.of(5,
            new String[] {"sun.security.ssl.SSLSocketImpl", "demo.server.Handler", "demo.server.Listener"},
            new String[] {"close", "onEndOfStream", "lambda$serve$0"},
            new String[] {"SSLSocketImpl.java", "Handler.java", "Listener.java"},
            new int[] {575, 70, 44});

    private static Map<CloseCause, Long> causes(Object... causeAndCount) {
        Map<CloseCause, Long> map = new EnumMap<>(CloseCause.class);
        for (int i = 0; i < causeAndCount.length; i += 2) {
            map.put((CloseCause) causeAndCount[i], ((Number) causeAndCount[i + 1]).longValue());
        }
        return map;
    }

    /** An endpoint's snapshot with the aggregates a test sets; the samples for medians are given whole. */
    private static EndpointSnapshot endpoint(Endpoint endpoint, long opened, long closed, long reconnects,
                                             long failed, long inFlight, long tls, Transport transport,
                                             Map<CloseCause, Long> causes, Map<String, Long> failures,
                                             Map<Integer, Long> closeStacks, Map<Integer, Long> reconnectStacks,
                                             Map<Integer, Long> failedStacks, Map<Integer, Long> timeouts,
                                             long[] lifetimes, long[] gaps, long[] delays, long[] inFlightAges,
                                             Cycle... cycles) {
        return new EndpointSnapshot(endpoint, opened, 0, closed, (int) (opened - closed), reconnects, failed,
                inFlight, tls, opened > 0 ? Map.of(transport, opened) : Map.of(), T0, T0 + 2_000_000L, causes,
                failures, closeStacks, reconnectStacks, failedStacks, timeouts, lifetimes, gaps, delays,
                inFlightAges, cycles, 0);
    }

    private static String render(EndpointSnapshot... endpoints) {
        RecordingSnapshot r = new RecordingSnapshot(T0 - 1_000_000L, T0 + 3_000_000L,
                new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L), List.of(endpoints),
                List.of(CONNECT, POOL_CLOSE, JDK_CLOSE, ACCEPT, SERVER_CLOSE), 0, 0, 0, 0, 0, 0, true, 0, null,
                Map.of(), Map.of());
        return new TextReport(ZoneOffset.UTC, Libraries.defaults()).render(r, "pid 42  TestVM 17", "exit");
    }

    /** The block of the endpoint whose heading starts with {@code heading}, up to the blank line after it. */
    private static String block(String report, String heading) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(heading) + ".*\n(?:.+\n)*").matcher(report);
        assertTrue(m.find(), "no " + heading + " in:\n" + report);
        return m.group();
    }

    @Test
    void aReadTimeoutEndpointReadsAsItsVerdictAttributionsAndTimeline() {
        Cycle first = Cycles.reopened(Cycles.made(1, Transport.SOCKET, 40000, T0, 300).wrote(T0 + 500, 20)
                .timedOut(T0 + 301_000, 300, 300_400).closed(T0 + 301_100, "main", 2), 200);
        Cycle second = Cycles.made(2, Transport.SOCKET, 40002, T0 + 301_300, 250).wrote(T0 + 301_800, 20)
                .timedOut(T0 + 602_300, 300, 300_400).closed(T0 + 602_400, "main", 2);
        EndpointSnapshot e = endpoint(new Endpoint("127.0.0.1", 11211, null), 2, 2, 1, 0, 2, 0, Transport.SOCKET,
                causes(CloseCause.READ_TIMEOUT, 2), Map.of(), Map.of(2, 2L), Map.of(1, 1L), Map.of(), Map.of(300, 2L),
                new long[] {301_100, 301_100}, new long[] {200}, new long[] {100, 100}, new long[] {300_600, 300_600},
                first, second);
        assertEquals("127.0.0.1:11211   1 reconnect in 2.000 s (30.0/min)   opened 2  closed 2  open 0  via Socket\n"
                + "  verdict      reconnected 1 time; 2 of 2 closes by this JVM 0.1 ms after a read timeout (SO_TIMEOUT 300 ms),"
                + " every time\n"
                + "               with a request in flight (sent 301 ms before the close), in Pool.failure(Pool.java:88);"
                + " reopened 0.2 ms\n"
                + "               later by Pool.find(Pool.java:52); the peer's late reply will meet a closed socket (RST)\n"
                + "  closes       2 after a read timeout; 2 with a request in flight\n"
                + "  lifetime     median 301 ms   reconnect gap median 0.2 ms\n"
                + "  closed by    demo.memcache.Pool.failure(Pool.java:88)   2 of 2  [s2]\n"
                + "                 called from demo.memcache.Pool.store(Pool.java:64)\n"
                + "                 application demo.App.run(App.java:31)\n"
                + "  reopened by  demo.memcache.Pool.find(Pool.java:52)   1 of 1  [s1]\n"
                + "                 called from demo.memcache.Pool.store(Pool.java:60)\n"
                + "                 application demo.App.run(App.java:31)\n"
                + "  last cycles  local port, then wall-clock times\n"
                + "    :40000  open 12:00:00.000000 (connect 0.3 ms)  last write 12:00:00.000500  timeout 12:00:00.301000"
                + " (SO_TIMEOUT 300 ms, blocked 300 ms)  close 12:00:00.301100 by \"main\"  request in flight"
                + "  -> reopened 0.2 ms later\n"
                + "    :40002  open 12:00:00.301300 (connect 0.3 ms)  last write 12:00:00.301800  timeout 12:00:00.602300"
                + " (SO_TIMEOUT 300 ms, blocked 300 ms)  close 12:00:00.602400 by \"main\"  request in flight\n",
                block(render(e), "127.0.0.1:11211   "));
    }

    @Test
    void connectionsStillOpenAreListedTenPerEndpointAndTheRestCounted() {
        List<io.socktrace.agent.bootstrap.StillOpen> open = new java.util.ArrayList<>();
        open.add(HtmlFixtures.openedBefore(1, 40001, T0));
        for (int i = 2; i <= 12; i++) {
            open.add(HtmlFixtures.stillOpen(i, 40000 + i, T0 + i * 1_000L, T0 + i * 1_000L + 500));
        }
        EndpointSnapshot e = HtmlFixtures.withOpen(endpoint(new Endpoint("127.0.0.1", 6379, null), 0, 0, 0, 0, 0, 0,
                Transport.SOCKET, causes(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), new long[0],
                new long[0], new long[0], new long[0]), open, 3);
        String block = block(render(e), "127.0.0.1:6379   ");
        assertTrue(block.contains("\n  still open   local port, then wall-clock times (5 more not listed; the JSON report"
                + " lists 12)\n"
                + "    :40001  open before recording, first seen 12:00:00.000000  last write 12:00:00.000000"
                + "  request in flight since 12:00:00.000000\n"
                + "    :40002  open 12:00:00.002000 (connect 0.1 ms) by \"main\"  last write 12:00:00.002500"
                + "  request in flight since 12:00:00.002500\n"), block);
        assertTrue(block.endsWith("    :40010  open 12:00:00.010000 (connect 0.1 ms) by \"main\"  last write 12:00:00.010500"
                + "  request in flight since 12:00:00.010500\n"), block);
    }

    @Test
    void idleTimeoutStaleReuseAndWhatToChangeHaveALineEach() {
        IdleObservations idle = new IdleHistory().reused(100, 300).reused(300)
                .stale(900, CloseCause.END_OF_STREAM, 2).stale(950, CloseCause.RESET, 2).observations();
        EndpointSnapshot e = new EndpointSnapshot(new Endpoint("127.0.0.1", 8080, null), 4, 0, 4, 0, 3, 0, 2, 0,
                Map.of(Transport.SOCKET, 4L), T0, T0 + 2_000_000L,
                causes(CloseCause.END_OF_STREAM, 1, CloseCause.RESET, 1, CloseCause.NO_ERROR, 2), Map.of(),
                Map.of(2, 4L), Map.of(), Map.of(), Map.of(), new long[0], new long[0], new long[0], new long[0],
                new Cycle[0], 0, io.socktrace.agent.bootstrap.CloseShapes.NONE,
                io.socktrace.agent.bootstrap.AttemptTimes.NONE, idle);
        String block = block(render(e), "127.0.0.1:8080   ");
        assertTrue(labelled(block, "verdict").endsWith("; 2 stale reuses (a request written on a connection the "
                + "peer had already closed) in Pool.failure(Pool.java:88)"), block);
        assertEquals("the peer closes connections idle longer than 300 ms-900 ms (4 observations); this JVM reused "
                + "connections idle up to 950 ms", labelled(block, "idle timeout"));
        assertTrue(block.contains("\n  stale reuse  demo.memcache.Pool.failure(Pool.java:88)   2 of 2  [s2]\n"
                + "                 called from demo.memcache.Pool.store(Pool.java:64)\n"), block);
        assertEquals("close or check pooled connections idle longer than 300 ms before reusing them, or raise the "
                + "peer's idle timeout above the pool's (the longest idle time after which the peer still answered; it "
                + "closes connections idle longer than 300 ms-900 ms)", labelled(block, "change"));
    }

    @Test
    void acceptedConnectionsNameTheirClientAndTls() {
        Cycle first = Cycles.reopened(Cycles.accepted(1, Transport.SOCKET, 50000, 8443, T0).tls().read(T0 + 1_000, 100)
                .wrote(T0 + 2_000, 200).read(T0 + 49_900, -1).closed(T0 + 50_000, "conn-1", 5), 150_000);
        Cycle second = Cycles.accepted(2, Transport.SOCKET, 50002, 8443, T0 + 200_000).tls().read(T0 + 201_000, 100)
                .wrote(T0 + 202_000, 200).read(T0 + 249_900, -1).closed(T0 + 250_000, "conn-2", 5);
        EndpointSnapshot e = endpoint(new Endpoint("127.0.0.1", 8443, null, true), 2, 2, 1, 0, 0, 2,
                Transport.SOCKET, causes(CloseCause.END_OF_STREAM, 2), Map.of(), Map.of(5, 2L), Map.of(4, 1L),
                Map.of(), Map.of(), new long[] {50_000, 50_000}, new long[] {150_000}, new long[] {100, 100},
                new long[0], first, second);
        assertEquals("127.0.0.1:8443 (accepted)   1 reconnect in 2.000 s (30.0/min)   opened 2  closed 2  open 0  via Socket"
                + "  TLS 2 of 2 closed\n"
                + "  verdict      clients reconnected 1 time; 2 of 2 closes after the peer closed first (end of stream);"
                + " this JVM closed\n"
                + "               its side 0.1 ms later, in Handler.onEndOfStream(Handler.java:70); accepted again 150 ms"
                + " later by\n"
                + "               Listener.serve(Listener.java:40)\n"
                + "  closes       2 after end of stream (peer closed first); 0 with a request in flight\n"
                + "  lifetime     median 50 ms   reconnect gap median 150 ms\n"
                + "  closed by    demo.server.Handler.onEndOfStream(Handler.java:70)   2 of 2  [s5]\n"
                + "                 called from demo.server.Listener.lambda$serve$0(Listener.java:44)\n"
                + "  accepted by  demo.server.Listener.serve(Listener.java:40)   1 of 1  [s4]\n"
                + "  last cycles  client, then wall-clock times\n"
                + "    from 127.0.0.1:50000  TLS  open 12:00:00.000000  last write 12:00:00.002000  last read 12:00:00.001000"
                + "  EOF 12:00:00.049900  close 12:00:00.050000 by \"conn-1\"  -> reopened 150 ms later\n"
                + "    from 127.0.0.1:50002  TLS  open 12:00:00.200000  last write 12:00:00.202000  last read 12:00:00.201000"
                + "  EOF 12:00:00.249900  close 12:00:00.250000 by \"conn-2\"\n",
                block(render(e), "127.0.0.1:8443 (accepted)   "));
    }

    @Test
    void eachEndingHasItsVerdict() {
        EndpointSnapshot refused = endpoint(new Endpoint("127.0.0.1", 6379, "cache"), 0, 0, 0, 3, 0, 0,
                Transport.SOCKET, causes(), Map.of("refused", 3L), Map.of(), Map.of(), Map.of(1, 3L), Map.of(),
                new long[0], new long[0], new long[0], new long[0]);
        Cycle leaked = Cycles.made(3, Transport.SOCKET, 40010, T0, 100).wrote(T0 + 500, 10).read(T0 + 900, 10)
                .collected(T0 + 1_000_000);
        EndpointSnapshot leak = endpoint(new Endpoint("127.0.0.1", 9001, null), 1, 1, 0, 0, 0, 0, Transport.SOCKET,
                causes(CloseCause.COLLECTED, 1), Map.of(), Map.of(0, 1L), Map.of(), Map.of(), Map.of(),
                new long[] {1_000_000}, new long[0], new long[0], new long[0], leaked);
        EndpointSnapshot open = endpoint(new Endpoint("127.0.0.1", 9002, null), 1, 0, 0, 0, 0, 0, Transport.SOCKET,
                causes(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                new long[0], new long[0], new long[0], new long[0]);
        Cycle resetCycle = Cycles.made(4, Transport.SOCKET, 40020, T0, 100).wrote(T0 + 1_000, 10)
                .failed(T0 + 3_000, CloseCause.RESET, "java.net.SocketException: Connection reset")
                .closed(T0 + 3_050, "main", 2);
        EndpointSnapshot reset = endpoint(new Endpoint("127.0.0.1", 9003, null), 1, 1, 0, 0, 1, 0, Transport.SOCKET,
                causes(CloseCause.RESET, 1), Map.of(), Map.of(2, 1L), Map.of(), Map.of(), Map.of(),
                new long[] {3_050}, new long[0], new long[] {50}, new long[] {2_050}, resetCycle);
        EndpointSnapshot mixed = endpoint(new Endpoint("127.0.0.1", 9004, null), 6, 6, 0, 0, 2, 0,
                Transport.SOCKET_CHANNEL, causes(CloseCause.READ_TIMEOUT, 2, CloseCause.END_OF_STREAM, 1,
                        CloseCause.NO_ERROR, 3), Map.of(), Map.of(2, 4L, -1, 2L), Map.of(), Map.of(), Map.of(1000, 2L),
                new long[] {5_000, 5_000, 5_000}, new long[0], new long[] {100, 100}, new long[] {1_002_000});
        String report = render(refused, leak, open, reset, mixed);

        String failing = block(report, "cache/127.0.0.1:6379   ");
        assertTrue(failing.startsWith("cache/127.0.0.1:6379   0 reconnects   opened 0  closed 0  open 0  failed 3\n"), failing);
        assertEquals("never connected; 3 connection attempts failed (3 refused)", labelled(failing, "verdict"));
        assertTrue(failing.contains("\n  failed by    demo.memcache.Pool.find(Pool.java:52)   3 of 3  [s1]\n"
                + "                 called from demo.memcache.Pool.store(Pool.java:60)\n"), failing);

        String leaking = block(report, "127.0.0.1:9001   ");
        assertEquals("1 of 1 closes: never closed, garbage collected (a leak)", labelled(leaking, "verdict"));
        assertEquals("1 never closed, garbage collected; 0 with a request in flight", labelled(leaking, "closes"));
        assertTrue(leaking.endsWith("\n    :40010  open 12:00:00.000000 (connect 0.1 ms)  last write 12:00:00.000500"
                + "  last read 12:00:00.000900  collected 12:00:01.000000\n"), leaking);

        String stillOpen = block(report, "127.0.0.1:9002   ");
        assertEquals("127.0.0.1:9002   0 reconnects   opened 1  closed 0  open 1  via Socket\n"
                + "  verdict      no connection closed yet (1 open)\n", stillOpen);

        String resetting = block(report, "127.0.0.1:9003   ");
        assertEquals("1 of 1 closes after a connection reset, every time with a request in flight (sent 2.1 ms before the"
                + " close), in Pool.failure(Pool.java:88)", labelled(resetting, "verdict"));
        assertEquals("1 after a connection reset; 1 with a request in flight", labelled(resetting, "closes"));
        assertTrue(resetting.endsWith("\n    :40020  open 12:00:00.000000 (connect 0.1 ms)  last write 12:00:00.001000"
                + "  error 12:00:00.003000 (java.net.SocketException: Connection reset)  close 12:00:00.003050 by \"main\""
                + "  request in flight\n"), resetting);

        String several = block(report, "127.0.0.1:9004   ");
        assertTrue(several.startsWith("127.0.0.1:9004   0 reconnects   opened 6  closed 6  open 0  via SocketChannel\n"),
                several);
        assertEquals("3 of 6 closes by this JVM with no error on the connection (application or pool logic), 2 with a"
                + " request in flight (sent 1.002 s before the close), in Pool.failure(Pool.java:88)",
                labelled(several, "verdict"));
        assertEquals("2 after a read timeout, 1 after end of stream (peer closed first), 3 with no error on it; 2 with a"
                + " request in flight", labelled(several, "closes"));
        // two of the six closes were above the stack rate: the count is of those sampled
        assertTrue(several.contains("\n  closed by    demo.memcache.Pool.failure(Pool.java:88)   4 of 4 sampled  [s2]\n"),
                several);

        assertTrue(report.contains("\nconnections: 9 opened, 0 accepted, 3 failed to connect, 8 closed, 1 open"
                + "   reconnects: 0 to 0 endpoints\n"), report);
    }

    @Test
    void attributionsSayWhenTheStackIsTheJdksOrNotKnown() {
        EndpointSnapshot jdk = endpoint(new Endpoint("127.0.0.1", 8080, null), 2, 2, 1, 0, 0, 0,
                Transport.SOCKET_CHANNEL, causes(CloseCause.END_OF_STREAM, 2), Map.of(), Map.of(3, 2L), Map.of(1, 1L),
                Map.of(), Map.of(), new long[] {10_000, 10_000}, new long[] {500}, new long[] {80, 80}, new long[0]);
        EndpointSnapshot notKept = endpoint(new Endpoint("127.0.0.1", 9005, null), 3, 3, 0, 0, 0, 0,
                Transport.SOCKET, causes(CloseCause.NO_ERROR, 3), Map.of(), Map.of(0, 3L), Map.of(), Map.of(), Map.of(),
                new long[] {1_000}, new long[0], new long[0], new long[0]);
        EndpointSnapshot notSampled = endpoint(new Endpoint("127.0.0.1", 9006, null), 2, 2, 0, 0, 0, 0,
                Transport.SOCKET, causes(CloseCause.NO_ERROR, 2), Map.of(), Map.of(-1, 2L), Map.of(), Map.of(), Map.of(),
                new long[] {1_000}, new long[0], new long[0], new long[0]);
        String report = render(jdk, notKept, notSampled);

        // JDK code only: the top frame, said to be the JDK's, and no caller or application line
        String jdkOnly = block(report, "127.0.0.1:8080   ");
        assertTrue(jdkOnly.contains("\n  closed by    sun.nio.ch.SocketChannelImpl.implCloseSelectableChannel"
                + "(SocketChannelImpl.java:500) (JDK code only)   2 of 2  [s3]\n  reopened by  "), jdkOnly);
        assertEquals("reconnected 1 time; 2 of 2 closes after the peer closed first (end of stream); this JVM closed its"
                + " side 0.1 ms later; reopened 0.5 ms later by Pool.find(Pool.java:52)", labelled(jdkOnly, "verdict"));

        assertTrue(block(report, "127.0.0.1:9005   ").endsWith("\n  closed by    (stack not kept: stack table full)\n"),
                report);
        assertTrue(block(report, "127.0.0.1:9006   ").endsWith("\n  closed by    (no stack sampled)\n"), report);
        assertEquals("3 of 3 closes by this JVM with no error on the connection (application or pool logic)",
                labelled(block(report, "127.0.0.1:9005   "), "verdict"));
    }

    @Test
    void anEmptyRecordingSaysSo() {
        String report = render();
        assertTrue(report.startsWith("socktrace report (exit)  pid 42  TestVM 17\n"
                + "recorded 2099-03-01 11:59:59.000 .. 12:00:03.000000 Z (4.000 s)\n"
                + "connections: 0 opened, 0 accepted, 0 failed to connect, 0 closed, 0 open   reconnects: 0 to 0 endpoints\n"
                + "\nno TCP connections recorded\n"), report);
        assertTrue(report.endsWith("\nagent: 0 internal errors, 0 connections untracked (maxConnections=16), 0 to"
                + " endpoints beyond maxEndpoints=8\n"), report);
    }

    /**
     * The text after {@code label} on its line ({@code verdict}, {@code closes}), joined with the lines it wraps
     * onto (indented to its text).
     */
    private static String labelled(String block, String label) {
        Matcher m = Pattern.compile("(?m)^(  " + Pattern.quote(label) + " +)(.*)$").matcher(block);
        assertTrue(m.find(), "no " + label + " in:\n" + block);
        StringBuilder text = new StringBuilder(m.group(2));
        Pattern continuation = Pattern.compile("^ {" + m.group(1).length() + "}(\\S.*)$");
        for (String line : block.substring(m.end()).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher c = continuation.matcher(line);
            if (!c.matches()) {
                break;
            }
            text.append(' ').append(c.group(1));
        }
        return text.toString();
    }

    @Test
    void failedConnectsOverTimeHaveARetriesLineAndTheTriggerItsCounts() {
        long[] first = new long[8];
        for (int i = 0; i < first.length; i++) {
            first[i] = T0 + i * 100_000L;
        }
        EndpointSnapshot plain = endpoint(new Endpoint("127.0.0.1", 6380, null), 0, 0, 0, 8, 0, 0, Transport.SOCKET,
                causes(), Map.of("refused", 8L), Map.of(), Map.of(), Map.of(1, 8L), Map.of(),
                new long[0], new long[0], new long[0], new long[0]);
        EndpointSnapshot storm = new EndpointSnapshot(plain.endpoint(), 0, 0, 0, 0, 0, 8, 0, 0, Map.of(), T0,
                T0 + 700_000L, Map.of(), Map.of("refused", 8L), Map.of(), Map.of(), Map.of(1, 8L), Map.of(),
                new long[0], new long[0], new long[0], new long[0], new Cycle[0], 0,
                io.socktrace.agent.bootstrap.CloseShapes.NONE,
                new io.socktrace.agent.bootstrap.AttemptTimes(8, first, new long[0]),
                io.socktrace.agent.bootstrap.IdleObservations.NONE);
        RecordingSnapshot r = new RecordingSnapshot(T0 - 1_000_000L, T0 + 3_000_000L,
                new RecorderSettings(16, 8, 64, 32, 5, 5_000_000_000L), List.of(storm),
                List.of(CONNECT, POOL_CLOSE, JDK_CLOSE, ACCEPT, SERVER_CLOSE), 0, 0, 0, 0, 0, 0, true, 0, null,
                Map.of(), Map.of(), new io.socktrace.agent.bootstrap.ReportTrigger.Counts("reconnects:10/min", 2, 3, 5,
                60_000_000L));
        String report = new TextReport(ZoneOffset.UTC, Libraries.defaults()).render(r, "pid 42  TestVM 17", "exit");

        String failing = block(report, "127.0.0.1:6380   ");
        assertEquals("8 attempts in 700 ms (10.0/s), no backoff (gaps mostly 100 ms)", labelled(failing, "retries"));
        assertTrue(failing.contains("\n  retries      8 attempts in 700 ms (10.0/s), no backoff (gaps mostly 100 ms)\n"
                + "  failed by    demo.memcache.Pool.find(Pool.java:52)   8 of 8  [s1]\n"), failing);
        assertTrue(report.contains("\nagent: trigger reconnects:10/min: 2 reports triggered, 3 more not written "
                + "(at most 5 per 1m00s)\n"), report);
        assertTrue(render(plain).contains("\n  failed by    "), "without attempt times, no retries line");
        assertTrue(!render(plain).contains("  retries  "), render(plain));
    }
}
