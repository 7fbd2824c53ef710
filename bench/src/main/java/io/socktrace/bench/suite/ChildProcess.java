package io.socktrace.bench.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM (or command) the suite started: its standard output read line by line with the time each line arrived,
 * standard error kept in a file for failures, standard input held open (helper JVMs exit when it closes). Every
 * wait is bounded; {@link #close()} ends the process if it is still running.
 */
final class ChildProcess implements AutoCloseable {

    /** One line of standard output and when it arrived ({@link System#nanoTime()}). */
    record Line(String text, long nanos) {
    }

    private static final Line END = new Line(null, 0);

    private final Process process;
    private final List<String> command;
    private final Path stderr;
    private final long startedNanos;
    private final LinkedBlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private ChildProcess(Process process, List<String> command, Path stderr, long startedNanos) {
        this.process = process;
        this.command = command;
        this.stderr = stderr;
        this.startedNanos = startedNanos;
        reader = new Thread(this::readLines, "stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(List<String> command, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        long started = System.nanoTime();
        return new ChildProcess(builder.start(), command, stderr, started);
    }

    long pid() {
        return process.pid();
    }

    /** When the process was launched ({@link System#nanoTime()}, just before the fork). */
    long startedNanos() {
        return startedNanos;
    }

    /** The first line (from here on) that matches, or a failure naming the command and its standard error. */
    Line awaitLine(Predicate<String> matcher, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            Line line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw failure("no expected output within " + timeoutMillis + " ms");
            }
            if (line == END) {
                lines.add(END);
                throw failure("ended without the expected output");
            }
            if (matcher.test(line.text())) {
                return line;
            }
        }
    }

    /**
     * Waits for the exit (bounded) and the last of its output, and returns the exit code; kills the process if it
     * does not end in time.
     */
    int waitFor(long timeoutMillis) throws IOException, InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw failure("did not exit within " + timeoutMillis + " ms");
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Everything it printed on standard output so far. */
    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    IOException failure(String what) {
        String err = "";
        try {
            List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            err = String.join("\n  ", all.subList(Math.max(0, all.size() - 15), all.size()));
        } catch (IOException ignored) {
            // no standard error to show
        }
        return new IOException(what + ": " + String.join(" ", command) + "\n  stdout: " + output().strip()
                + "\n  stderr: " + err);
    }

    /** Closes standard input (helpers exit on it), then waits a little, then kills. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String text; (text = in.readLine()) != null; ) {
                long now = System.nanoTime();
                synchronized (output) {
                    output.append(text).append('\n');
                }
                lines.add(new Line(text, now));
            }
        } catch (IOException ignored) {
            // the process is gone
        }
        lines.add(END);
    }
}
