package io.socktrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.bootstrap.CloseCause;
import io.socktrace.agent.bootstrap.Cycle;
import io.socktrace.agent.bootstrap.Endpoint;
import io.socktrace.agent.bootstrap.EndpointSnapshot;
import io.socktrace.agent.bootstrap.RecorderSettings;
import io.socktrace.agent.bootstrap.RecordingSnapshot;
import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import io.socktrace.agent.bootstrap.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
}
