package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Report report = run.runForReport();
        String port = run.printed("port");
        Report.Block client = report.endpoint("127.0.0.1:" + port);

        assertEquals("[200, 200, 200]", run.printed("statuses"));
        // two GETs on one kept-alive connection, a new one for the third after the server dropped the first
        assertTrue(heading(client).endsWith("opened 2  closed 2  open 0  via SocketChannel"), client.text());
        assertEquals(1, client.number("(\\d+) reconnect"), client.text());
        // both closes come after the server dropped the idle connection: the pool's read saw end of stream. Every
        // request was answered, but by a read on the selector thread, which can return before the calling thread's
        // write has (see aReplyReadOnAnotherThreadBeforeTheWriteReturnedLeavesNoRequestInFlight)
        assertEquals("2 after end of stream (peer closed first); 0 with a request in flight", client.line("closes"),
                client.text());
        assertTrue(client.line("verdict").contains("; 2 of 2 closes after the peer closed first (end of stream);"),
                client.text());
        List<String> cycles = cycles(client, ":\\d+  open ");
        assertEquals(2, cycles.size(), client.text());
        for (String cycle : cycles) {
            assertTrue(cycle.matches(".*  EOF \\S+  close \\S+ by \"HttpClient-\\d+-SelectorManager\".*"), cycle);
        }
        assertTrue(cycles.get(0).endsWith(" later"), "the first connection is the one reopened: " + cycles.get(0));

        // the close: the connection pool's cleanup on the selector thread, no application code on the stack
        List<String> closedBy = attribution(client, "closed by");
        assertEquals(1, closedBy.size(), "JDK code only, so no caller or application frame:\n" + client.text());
        assertTrue(closedBy.get(0).matches("sun\\.nio\\.ch\\.SocketChannelImpl\\.implCloseSelectableChannel"
                + "\\(SocketChannelImpl\\.java:\\d+\\) \\(JDK code only\\)   2 of 2  \\[s\\d+\\]"), closedBy.get(0));
        String closeStack = stack(report, closedBy.get(0));
        assertTrue(closeStack.contains("at jdk.internal.net.http.PlainHttpConnection.close("), closeStack);
        assertTrue(closeStack.contains("at jdk.internal.net.http.ConnectionPool$CleanupTrigger.onComplete("),
                closeStack);

        // the reconnect: send() runs the exchange on the calling thread up to the channel's connect
        List<String> reopenedBy = attribution(client, "reopened by");
        assertEquals(2, reopenedBy.size(), client.text());
        assertTrue(reopenedBy.get(0).startsWith(at("JdkHttpClientKeepAlive", "get")),
                reopenedBy.get(0));
        assertTrue(reopenedBy.get(0).contains("   1 of 1  [s"), reopenedBy.get(0));
        assertTrue(reopenedBy.get(1).startsWith("called from " + at("JdkHttpClientKeepAlive", "main")),
                reopenedBy.get(1));
        String connectStack = stack(report, reopenedBy.get(0));
        assertTrue(connectStack.contains("at sun.nio.ch.SocketChannelImpl.connect("), connectStack);
        assertTrue(connectStack.contains("at jdk.internal.net.http.PlainHttpConnection.connectAsync("), connectStack);

        assertServerDroppedIdleClients(report, port);
        assertEquals(2, report.headerNumber("connections: (\\d+) opened"));
        assertEquals(2, report.headerNumber("(\\d+) accepted"));
        assertTrue(report.text().contains("agent: 0 internal errors"), report.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void httpUrlConnectionRetriesAStaleKeptAliveConnectionAndTheApplicationIsNamed(Path javaHome, @TempDir Path dir)
            throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.HttpUrlConnectionKeepAlive");
        Report report = run.runForReport();
        String port = run.printed("port");
        Report.Block client = report.endpoint("127.0.0.1:" + port);

        // "hello N" is the server's count per connection: 0, 1 on the kept-alive one, 0 on the new one
        assertEquals("[200 hello 0, 200 hello 1, 200 hello 0]", run.printed("answers"));
        // the keep-alive cache never notices that the server dropped the second connection: it is open at exit
        assertTrue(heading(client).endsWith("opened 2  closed 1  open 1  via Socket"), client.text());
        assertEquals(1, client.number("(\\d+) reconnect"), client.text());
        // the third GET was written on the stale connection and met end of stream: truly a request in flight.
        // No read timeout: the 1 ms probe of a cached connection is made for streaming POSTs only, and the
        // client's own SO_TIMEOUT (5 s) never elapses.
        assertEquals("1 after end of stream (peer closed first); 1 with a request in flight", client.line("closes"),
                client.text());
        assertTrue(client.line("verdict").contains("; 1 of 1 closes after the peer closed first (end of stream);"),
                client.text());
        List<String> cycles = cycles(client, ":\\d+  open ");
        assertEquals(1, cycles.size(), client.text());
        assertTrue(cycles.get(0).matches(".*  EOF \\S+  close \\S+ by \"main\"  request in flight  -> reopened .*"),
                cycles.get(0));

        // the close is JDK code (HttpClient.closeServer: end of stream where the status line should be), and the
        // first frame outside the JDK is the application's GET
        List<String> closedBy = attribution(client, "closed by");
        assertEquals(2, closedBy.size(), "the application is the caller itself, so no separate application line");
        assertTrue(closedBy.get(0).startsWith(at("HttpUrlConnectionKeepAlive", "get")),
                closedBy.get(0));
        assertTrue(closedBy.get(0).contains("   1 of 1  [s"), closedBy.get(0));
        assertTrue(closedBy.get(1).startsWith("called from " + at("HttpUrlConnectionKeepAlive", "main")),
                closedBy.get(1));
        String closeStack = stack(report, closedBy.get(0));
        assertTrue(closeStack.contains("at sun.net.www.http.HttpClient.closeServer("), closeStack);
        assertTrue(closeStack.contains("at sun.net.www.http.HttpClient.parseHTTPHeader("), closeStack);

        // the reconnect is the JDK's one retry of the GET, from the same place
        List<String> reopenedBy = attribution(client, "reopened by");
        assertEquals(2, reopenedBy.size(), client.text());
        assertTrue(reopenedBy.get(0).startsWith(at("HttpUrlConnectionKeepAlive", "get")),
                reopenedBy.get(0));
        assertTrue(reopenedBy.get(1).startsWith("called from " + at("HttpUrlConnectionKeepAlive", "main")),
                reopenedBy.get(1));
        String connectStack = stack(report, reopenedBy.get(0));
        assertTrue(connectStack.contains("at sun.net.www.http.HttpClient.openServer("), connectStack);
        assertTrue(connectStack.contains("at sun.net.www.http.HttpClient.parseHTTPHeader("), connectStack);

        assertServerDroppedIdleClients(report, port);
        assertTrue(report.text().contains("agent: 0 internal errors"), report.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void socketsOnVirtualThreadsAreCountedAndTimedOutExactlyAsOnPlatformThreads(Path javaHome, @TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(featureVersion(javaHome) >= 21, "virtual threads need JDK 21+: " + javaHome);
        int clients = 20;
        AgentRun run = AgentRun.on(javaHome, dir).options("report=" + dir.resolve("report.txt") + ",cycles=25")
                .mainClass("io.socktrace.scenario.VirtualThreadSockets", String.valueOf(clients));
        Report report = run.runForReport();

        assertEquals(String.valueOf(clients + 1), run.printed("virtual"), "every task ran on a virtual thread");
        assertEquals(String.valueOf(clients), run.printed("answered"));
        assertEquals("1", run.printed("timeouts"));

        Report.Block answered = report.endpoint("127.0.0.1:" + run.printed("port"));
        assertTrue(heading(answered).endsWith("opened 20  closed 20  open 0  via Socket"), answered.text());
        assertEquals("20 with no error on it; 0 with a request in flight", answered.line("closes"), answered.text());
        assertTrue(answered.line("closed by").startsWith("io.socktrace.scenario.VirtualThreadSockets.lambda$main$"),
                answered.text());
        assertTrue(answered.line("closed by").contains("   20 of 20  [s"), answered.text());
        // virtual threads are unnamed: the report names them by thread id
        List<String> cycles = cycles(answered, ":\\d+  open ");
        assertEquals(clients, cycles.size(), answered.text());
        for (String cycle : cycles) {
            assertTrue(cycle.matches(".*  close \\S+ by \"#\\d+\".*"), cycle);
        }

        Report.Block silent = report.endpoint("127.0.0.1:" + run.printed("silentPort"));
        assertTrue(heading(silent).endsWith("opened 1  closed 1  open 0  via Socket"), silent.text());
        assertEquals("1 after a read timeout; 1 with a request in flight", silent.line("closes"), silent.text());
        assertTrue(silent.line("verdict").startsWith("1 of 1 closes by this JVM "), silent.text());
        assertTrue(silent.line("verdict")
                .contains(" after a read timeout (SO_TIMEOUT 200 ms), every time with a request in flight"),
                silent.text());
        assertTrue(silent.line("closed by").startsWith(at("VirtualThreadSockets", "giveUp")), silent.text());
        String timedOut = cycles(silent, ":\\d+  open ").get(0);
        Matcher blocked = Pattern.compile("  timeout \\S+ \\(SO_TIMEOUT 200 ms, blocked (\\S+ m?s)\\)")
                .matcher(timedOut);
        assertTrue(blocked.find(), timedOut);
        // a lower bound only: the read cannot return before SO_TIMEOUT; how much later depends on the machine
        assertTrue(millis(blocked.group(1)) >= 200, timedOut);
        assertTrue(timedOut.matches(".*  close \\S+ by \"#\\d+\"  request in flight.*"), timedOut);

        assertEquals(clients + 1, report.headerNumber("connections: (\\d+) opened"));
        assertEquals(clients + 1, report.headerNumber("(\\d+) accepted"));
        assertTrue(report.text().contains("agent: 0 internal errors"), report.text());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void unixDomainSocketChannelsAreNotTcpAndAreNotRecorded(Path javaHome, @TempDir Path dir) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).mainClass("io.socktrace.scenario.UnixDomainChannel", dir.toString());
        Report report = run.runForReport();

        assertEquals("true", run.printed("connected"));
        assertEquals("echo ping", run.printed("answer"));
        assertEquals("true", run.printed("eof"));
        // the agent was running and instrumented everything (its only line is where the report went), and
        // recorded nothing
        assertEquals(List.of(), run.stderr().lines()
                .filter(l -> l.startsWith("socktrace") && !l.startsWith("socktrace: report written to "))
                .collect(Collectors.toList()));
        assertEquals(0, report.headerNumber("connections: (\\d+) opened"), report.text());
        assertEquals(0, report.headerNumber("(\\d+) accepted"), report.text());
        assertEquals(0, report.headerNumber("(\\d+) failed to connect"), report.text());
        assertTrue(report.text().contains("\nno TCP connections recorded\n"), report.text());
        assertTrue(report.text().contains("agent: 0 internal errors"), report.text());
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
        Report report = run.runForReport();
        Report.Block server = report.accepted("127.0.0.1:" + run.printed("port"));

        assertEquals(1, server.number("(\\d+) reconnect"), server.text());
        Matcher gap = Pattern.compile("reconnect gap median (\\S+ m?s)").matcher(server.text());
        assertTrue(gap.find(), server.text());
        assertTrue(millis(gap.group(1)) >= 300,
                "the client reconnected at least 300 ms after the drop:\n" + server.text());
        List<String> cycles = cycles(server, "from 127\\.0\\.0\\.1:\\d+  open ");
        assertEquals(2, cycles.size(), server.text());
        LocalTime firstClosed = time(cycles.get(0), "  close (\\S+) by ");
        LocalTime secondOpened = time(cycles.get(1), "  open (\\S+)  ");
        long nanos = secondOpened.toNanoOfDay() - firstClosed.toNanoOfDay();
        if (nanos < -43_200_000_000_000L) {
            nanos += 86_400_000_000_000L; // the run crossed midnight
        }
        assertTrue(nanos >= 300_000_000L,
                "the second connection opened 300+ ms after the first closed:\n" + server.text());
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
        Report report = run.runForReport();
        Report.Block client = report.endpoint("127.0.0.1:" + run.printed("port"));

        assertEquals("100", run.printed("answered"));
        assertTrue(heading(client).endsWith("opened 100  closed 100  open 0  via Socket"), client.text());
        assertEquals("100 with no error on it; 0 with a request in flight", client.line("closes"), client.text());
    }

    /** Both tests' server side: two connections accepted, each dropped by the server's idle timeout. */
    private static void assertServerDroppedIdleClients(Report report, String port) {
        Report.Block server = report.accepted("127.0.0.1:" + port);
        assertTrue(heading(server).endsWith("opened 2  closed 2  open 0  via Socket"), server.text());
        // the server had answered every request: nothing was in flight when it dropped the idle connection
        assertEquals("2 after a read timeout; 0 with a request in flight", server.line("closes"), server.text());
        assertTrue(server.line("verdict").contains("; 2 of 2 closes by this JVM "), server.text());
        assertTrue(server.line("verdict").contains(" after a read timeout (SO_TIMEOUT 300 ms), in KeepAliveHttpServer"
                + ".dropIdleClient(KeepAliveHttpServer.java:"), server.text());
        assertTrue(server.line("closed by").startsWith(at("KeepAliveHttpServer", "dropIdleClient")), server.text());
        assertTrue(server.line("closed by").contains("   2 of 2  [s"), server.text());
        String dropped = ".*  timeout \\S+ \\(SO_TIMEOUT 300 ms, blocked \\S+ m?s\\)"
                + "  close \\S+ by \"http-conn-\\d+\".*";
        List<String> cycles = cycles(server, "from 127\\.0\\.0\\.1:\\d+  open ");
        assertEquals(2, cycles.stream().filter(c -> c.matches(dropped)).count(), server.text());
    }

    /** The start of a scenario frame: {@code io.socktrace.scenario.Cls.method(Cls.java:}. */
    private static String at(String scenarioClass, String method) {
        return "io.socktrace.scenario." + scenarioClass + "." + method + "(" + scenarioClass + ".java:";
    }

    private static String heading(Report.Block block) {
        return block.text().lines().findFirst().orElse("");
    }

    /** The timeline lines of a block that match {@code start} after their indentation. */
    private static List<String> cycles(Report.Block block, String start) {
        Pattern line = Pattern.compile("^    " + start + ".*");
        return block.text().lines().filter(l -> line.matcher(l).matches()).collect(Collectors.toList());
    }

    /**
     * An attribution: the text after the role label, then its {@code called from} and {@code application} lines,
     * each as {@code "called from pkg.Class.method(File.java:N)"}.
     */
    private static List<String> attribution(Report.Block block, String role) {
        List<String> lines = block.text().lines().collect(Collectors.toList());
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  " + role + " ")) {
                result.add(lines.get(i).substring(2 + role.length()).trim());
                for (int j = i + 1; j < lines.size(); j++) {
                    if (!lines.get(j).matches(" {17}(called from|application) .*")) {
                        break;
                    }
                    result.add(lines.get(j).trim());
                }
                return result;
            }
        }
        fail("no '" + role + "' in:\n" + block.text());
        return result;
    }

    /** The frames of the stack an attribution points to ({@code [sN]}), from the report's stacks section. */
    private static String stack(Report report, String attributed) {
        Matcher id = Pattern.compile("\\[(s\\d+)\\]$").matcher(attributed);
        assertTrue(id.find(), attributed);
        StringBuilder frames = new StringBuilder();
        boolean in = false;
        for (String line : report.text().split("\n")) {
            if (line.startsWith("  [" + id.group(1) + "] ")) {
                in = true;
            } else if (in && line.startsWith("      ")) {
                frames.append(line.trim()).append('\n');
            } else if (in) {
                break;
            }
        }
        assertFalse(frames.length() == 0, "no stack " + id.group(1) + " in:\n" + report.text());
        return frames.toString();
    }

    /** A report duration ({@code 0.4 ms}, {@code 308 ms}, {@code 1.217 s}) in milliseconds. */
    private static double millis(String duration) {
        String[] parts = duration.split(" ");
        double value = Double.parseDouble(parts[0]);
        return parts[1].equals("s") ? value * 1_000 : value;
    }

    private static LocalTime time(String cycle, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(cycle);
        assertTrue(m.find(), cycle);
        return LocalTime.parse(m.group(1));
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
