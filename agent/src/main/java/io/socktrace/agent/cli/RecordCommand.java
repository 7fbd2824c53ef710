package io.socktrace.agent.cli;

import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.config.ConfigException;
import io.socktrace.agent.report.ReportFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code record TARGET [--duration 30s] [--format text|json|html] [--output FILE] [key=value,...]}: attach, record for
 * the duration, write the report, detach; the common case in one step, like {@code asprof -d}. Ctrl-C ends the
 * recording early and still writes the report. If socktrace already records in the target (loaded at start-up or
 * attached before), that recording is reported and left running: it was not this command's to stop.
 */
final class RecordCommand {

    static final String USAGE = "usage: record PID|MAINCLASS|JARNAME [--duration 30s] [--format text|json|html] "
            + "[--output FILE] [key=value,...]";
    private static final long MAX_DURATION_NANOS = TimeUnit.HOURS.toNanos(24);

    private final long pid;
    private final long durationNanos;
    private final String format;
    private final Path output;
    private final String options;
    private final PrintStream progress;
    private Instant startedAt; // set when run starts: an exit report written since then is this recording's

    private RecordCommand(long pid, long durationNanos, String format, Path output, String options,
                          PrintStream progress) {
        this.pid = pid;
        this.durationNanos = durationNanos;
        this.format = format;
        this.output = output;
        this.options = options;
        this.progress = progress;
    }

    /** Parses the arguments after {@code record}; one line saying what is wrong otherwise. */
    static RecordCommand parse(List<String> args, PrintStream progress) throws CliException {
        if (args.isEmpty()) {
            throw new CliException(USAGE);
        }
        long durationNanos = TimeUnit.SECONDS.toNanos(30);
        String format = "text";
        Path output = null;
        List<String> options = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            boolean flag = arg.equals("--duration") || arg.equals("--format") || arg.equals("--output");
            if (flag && i + 1 < args.size()) {
                String value = args.get(++i);
                if (arg.equals("--duration")) {
                    durationNanos = duration(value);
                } else if (arg.equals("--format")) {
                    format = Main.format(value);
                } else {
                    output = Path.of(value);
                }
            } else if (!flag && !arg.startsWith("-") && arg.contains("=")) {
                options.add(arg);
            } else {
                throw new CliException("unexpected argument '" + arg + "' (try record --help)");
            }
        }
        String joined = Main.checkedOptions(String.join(",", options));
        return new RecordCommand(Targets.resolve(args.get(0)), durationNanos, format, output, joined, progress);
    }

    private static long duration(String value) throws CliException {
        try {
            long nanos = AgentConfig.duration(value);
            if (nanos > 0 && nanos <= MAX_DURATION_NANOS) {
                return nanos;
            }
        } catch (ConfigException bad) {
            // reported below
        }
        throw new CliException("bad value '" + value + "' for --duration (e.g. 500ms, 30s, 5m; at most 24 hours)");
    }

    /** Runs it: returns what to print at the end (the report, or where it was written). */
    String run(Attacher attacher) throws CliException {
        startedAt = Instant.now();
        String state = attacher.state(pid);
        boolean ours = state == null || !state.startsWith("recording");
        if (ours) {
            attacher.command(pid, "start", "text", withExitReport(options));
        } else if (!options.isEmpty()) {
            throw new CliException("socktrace already records in JVM " + pid + " (" + state + "); its options stay "
                    + "as they are: record without options, or detach it first");
        }
        AtomicBoolean finished = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> { // Ctrl-C: still the report, and the target left as it was found
            if (finished.compareAndSet(false, true)) {
                try {
                    System.out.print(finish(attacher, ours));
                } catch (CliException e) {
                    System.err.println("socktrace: " + e.getMessage());
                }
            }
        }, "socktrace-record-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            waitFor(durationNanos);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!finished.compareAndSet(false, true)) {
            return ""; // the shutdown hook is writing it
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the hook will find the work done
        }
        return finish(attacher, ours);
    }

    /**
     * The recording's options, with its exit report sent to the output file: a target that exits during the recording
     * (a batch job, say) still leaves its report where it was asked for. Not when the options say where reports go,
     * nor for a path the option syntax cannot carry.
     */
    private String withExitReport(String options) {
        if (output == null || (',' + options).contains(",report=") || (',' + options).contains(",format=")) {
            return options;
        }
        String path = output.toAbsolutePath().toString();
        if (path.contains(",") || path.contains("=")) {
            return options;
        }
        return (options.isEmpty() ? "" : options + ",") + "report=" + path + ",format=" + format;
    }

    /**
     * Sleeps the duration, with a progress line on a terminal (standard error, so the report stays clean); ends
     * early if the target exits.
     */
    private void waitFor(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        boolean terminal = progress != null && onTerminal();
        for (long left; (left = end - System.nanoTime()) > 0 && targetAlive(); ) {
            if (terminal) {
                progress.printf("\rsocktrace: recording JVM %d, %d s left (Ctrl-C ends it now) ", pid,
                        TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L));
                progress.flush();
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        }
        if (terminal) {
            progress.print("\r" + " ".repeat(72) + "\r");
            progress.flush();
        }
    }

    /** A report that failed must not leave the target recording: that was not what it was asked for. */
    private void detachQuietly(Attacher attacher) {
        try {
            attacher.command(pid, "detach", "text", "");
        } catch (CliException alsoFailed) {
            // the report's failure is the one to tell
        }
    }

    /**
     * Whether this JVM's console is a terminal. Since JDK 22 {@code System.console()} is there also when the streams
     * are redirected, and {@code Console.isTerminal()} (JDK 22) tells; before, a console is a terminal.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private boolean writtenSinceStart(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isAfter(startedAt.minusSeconds(1));
        } catch (IOException notThere) {
            return false;
        }
    }

    private boolean targetAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private String finish(Attacher attacher, boolean ours) throws CliException {
        String report;
        try {
            report = attacher.command(pid, "report", format, "");
            if (ours) {
                attacher.command(pid, "detach", "text", "");
            }
        } catch (CliException failed) {
            if (targetAlive()) {
                if (ours) {
                    detachQuietly(attacher);
                }
                throw failed;
            }
            if (ours && !withExitReport(options).equals(options) && writtenSinceStart(output)) {
                return "socktrace: JVM " + pid + " exited during the recording; it wrote its exit report to "
                        + output.toAbsolutePath() + "\n";
            }
            throw new CliException("JVM " + pid + " exited during the recording; its exit report went where its "
                    + "options send reports (standard error unless report= says otherwise)");
        }
        if (output == null) {
            return report;
        }
        try {
            return "socktrace: report written to " + ReportFiles.writeAtomically(output, report) + "\n";
        } catch (IOException e) {
            throw new CliException("cannot write " + output.toAbsolutePath() + " (" + e + ")");
        }
    }
}
