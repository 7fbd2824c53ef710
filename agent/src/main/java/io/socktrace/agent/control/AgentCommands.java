package io.socktrace.agent.control;

import io.socktrace.agent.analysis.CloseShapeTotals;
import io.socktrace.agent.analysis.Totals;
import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.config.ConfigException;
import io.socktrace.agent.instrument.WovenClassCache;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Commands from the command line, run inside the target JVM. The command line loads the agent jar through the
 * JDK's attach mechanism with arguments {@code socktrace-control;VERB;FORMAT;OPTIONS;RESPONSE_FILE} (so option
 * values cannot contain {@code ;}), and reads the
 * answer from the response file it created (owner-only): {@code ok} or {@code error} on the first line, then the
 * text. No port is opened: attach uses the JVM's own local socket.
 */
public final class AgentCommands {

    public static final String PREFIX = "socktrace-control;";

    private AgentCommands() {
    }

    /** Runs the command and writes the response; never throws into the attach listener. */
    public static void run(String arguments, Instrumentation instrumentation) {
        String[] parts = arguments.substring(PREFIX.length()).split(";", 4);
        if (parts.length < 4) {
            System.err.println("socktrace: malformed control command");
            return;
        }
        String verb = parts[0];
        String format = parts[1];
        String options = parts[2];
        Path response = Path.of(parts[3]);
        String answer;
        try {
            answer = "ok\n" + execute(verb, format, options, instrumentation);
        } catch (CommandException e) {
            answer = "error\n" + e.getMessage() + "\n";
        } catch (Throwable e) {
            answer = "error\n" + verb + " failed: " + e + "\n";
        }
        try {
            Files.writeString(response, answer, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            System.err.println("socktrace: cannot answer the command line (" + e + ")");
        }
    }

    private static String execute(String verb, String format, String options, Instrumentation instrumentation) {
        AgentRuntime runtime = AgentRuntime.current();
        switch (verb) {
            case "start":
                if (runtime != null) {
                    throw new CommandException("already recording since " + runtime.startedAt()
                            + " (options: " + runtime.effectiveOptions() + "); detach first to change options");
                }
                AgentConfig config;
                try {
                    config = AgentConfig.parse(options, System.getProperties());
                } catch (ConfigException bad) {
                    throw new CommandException(bad.getMessage());
                }
                AgentRuntime started = AgentRuntime.start(config, options, instrumentation, false,
                        WovenClassCache.open(config.cacheDir()));
                if (started == null) {
                    throw new CommandException("already recording");
                }
                return "recording since " + started.startedAt() + " with " + started.effectiveOptions() + "\n";
            case "report":
                return running(runtime).reporter().render("command line", format);
            case "status":
                return status(running(runtime));
            case "detach":
                running(runtime).stop();
                return "detached; the JDK's classes are restored\n";
            default:
                throw new CommandException("unknown command " + verb);
        }
    }

    private static AgentRuntime running(AgentRuntime runtime) {
        if (runtime == null) {
            throw new CommandException("socktrace is not recording in this JVM");
        }
        return runtime;
    }

    static String status(AgentRuntime runtime) {
        var snapshot = runtime.recorder().snapshot();
        Totals t = Totals.of(snapshot.endpoints());
        CloseShapeTotals leaks = CloseShapeTotals.of(snapshot.endpoints());
        return "recording: yes\n"
                + "since: " + runtime.startedAt() + "\n"
                + "options: " + runtime.effectiveOptions() + "\n"
                + "instrumented classes: " + runtime.installer().transformed() + "\n"
                + "woven-class cache: " + runtime.installer().cacheState() + "\n"
                + "connections: " + t.opened() + " opened, " + t.accepted() + " accepted, "
                + (t.openedBefore() > 0 ? t.openedBefore() + " open since before recording, " : "")
                + t.closed() + " closed, "
                + t.open() + " open, " + t.failedConnects() + " failed to connect, " + t.reconnects() + " reconnects\n"
                + "CLOSE_WAIT leaks: " + leaks.closeWaits() + " open now, " + leaks.leaksSeen() + " seen (closeWait="
                + io.socktrace.agent.analysis.Durations.format(snapshot.settings().closeWaitNanos() / 1_000) + ")\n"
                + "endpoints: " + snapshot.endpoints().size() + ", distinct stacks: " + snapshot.stacks().size()
                + ", stacks not sampled: " + snapshot.stacksNotSampled() + "\n"
                + "dropped: " + snapshot.stacksDropped() + " stacks, " + snapshot.untrackedConnections()
                + " untracked connections, " + snapshot.untrackedCloses() + " untracked closes, "
                + snapshot.eventsDropped() + " trace events\n"
                + "agent errors: " + snapshot.agentErrors()
                + (snapshot.lastAgentError() == null ? "" : " (last: " + snapshot.lastAgentError() + ")") + "\n"
                + (snapshot.agentErrorsByPlace().isEmpty() ? "" : "agent errors by place: "
                        + snapshot.agentErrorsByPlace().toString().replaceAll("[{}]", "") + "\n")
                + (snapshot.unavailable().isEmpty() ? "" : "unreachable JDK internals: "
                        + String.join(", ", snapshot.unavailable().keySet()) + "\n")
                + "instrumentation failures: " + runtime.installer().failed()
                + (runtime.installer().lastFailure() == null ? "" : " (last: " + runtime.installer().lastFailure() + ")")
                + "\n";
    }

    /** Creates an empty response file readable and writable by its owner only. */
    public static Path responseFile() throws IOException {
        try {
            return Files.createTempFile("socktrace-", ".response",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile("socktrace-", ".response");
        }
    }

    private static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message, null, false, false);
        }
    }
}
