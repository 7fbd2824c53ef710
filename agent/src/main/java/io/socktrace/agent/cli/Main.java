package io.socktrace.agent.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;
import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.config.ConfigException;
import io.socktrace.agent.config.Option;
import java.io.IOException;
import io.socktrace.agent.report.ReportFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar socktrace-agent.jar COMMAND ...}: find JVMs, attach the agent to one, fetch its report, ask its
 * status, detach. Verb first, like {@code asprof} and {@code jcmd}; one clear line and a non-zero exit on error.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: java -jar socktrace-agent.jar COMMAND [ARGS]",
            "",
            "commands:",
            "  list                                    JVMs of this user that can be attached: pid and main class",
            "  record JVM [--duration 30s] [--format text|json|html] [--output FILE] [key=value,...]",
            "                                          attach, record for the duration (Ctrl-C ends it early),",
            "                                          write the report, detach: all in one",
            "  attach JVM [key=value,...]              load socktrace into a running JVM and start recording",
            "  report JVM [--format text|json|html] [--output FILE]",
            "                                          the current report (recording goes on)",
            "  status JVM                              whether socktrace records there, since when, options, counters",
            "  detach JVM                              stop recording and restore the JDK's classes",
            "",
            "JVM: a pid, or the main class (full or simple name) or jar of exactly one JVM that list shows",
            "  --help, --version",
            "",
            "or load it at start: java -javaagent:socktrace-agent.jar[=key=value,...] ...",
            "",
            "JDK 21+ warns when an agent is loaded into a running JVM; start it with -XX:+EnableDynamicAgentLoading",
            "to allow this quietly.",
            "");

    private Main() {
    }

    public static void main(String[] args) {
        try {
            System.out.print(run(Arrays.asList(args)));
        } catch (CliException e) {
            System.err.println("socktrace: " + e.getMessage());
            System.exit(e.getMessage().startsWith("usage") ? 2 : 1);
        } catch (RuntimeException e) { // still one line, never a stack trace
            System.err.println("socktrace: internal error: " + e);
            System.exit(1);
        }
    }

    /** Runs one command and returns what it prints. */
    static String run(List<String> args) throws CliException {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            return "socktrace " + version() + ": shows which code closes and reopens a JVM's TCP connections, and why\n\n"
                    + USAGE + options();
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            return help(command);
        }
        switch (command) {
            case "--version":
            case "-V":
                return "socktrace " + version() + "\n";
            case "list":
                return list();
            case "attach":
                return attach(rest);
            case "report":
                return report(rest);
            case "status":
                return status(rest);
            case "detach":
                return detach(rest);
            case "record":
                return record(rest);
            default:
                throw new CliException("unknown command '" + command + "' (try --help)");
        }
    }

    private static String list() throws CliException {
        requireAttach();
        StringBuilder out = new StringBuilder();
        for (VirtualMachineDescriptor vm : Attacher.list()) {
            if (!vm.id().equals(Long.toString(ProcessHandle.current().pid()))) {
                out.append(String.format("%-8s %s%n", vm.id(), vm.displayName().isEmpty() ? "?" : vm.displayName()));
            }
        }
        return out.toString();
    }

    private static String attach(List<String> args) throws CliException {
        long pid = pid(args, "attach");
        String options = checkedOptions(args.size() > 1 ? String.join(",", args.subList(1, args.size())) : "");
        Attacher attacher = attacher();
        String state = attacher.state(pid);
        if (state != null && state.startsWith("recording")) {
            throw new CliException("already attached to JVM " + pid + ", " + state);
        }
        return "socktrace: JVM " + pid + " " + attacher.command(pid, "start", "text", options);
    }

    private static String report(List<String> args) throws CliException {
        long pid = pid(args, "report");
        String format = "text";
        Path output = null;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--format") || arg.equals("--output")) && i + 1 < args.size()) {
                String value = args.get(++i);
                if (arg.equals("--format")) {
                    format = format(value);
                } else {
                    output = Path.of(value);
                }
            } else {
                throw new CliException("unexpected argument '" + arg + "' (try report --help)");
            }
        }
        Attacher attacher = attacher();
        requireRecording(attacher, pid);
        String report = attacher.command(pid, "report", format, "");
        if (output == null) {
            return report;
        }
        try {
            return "socktrace: report written to " + ReportFiles.writeAtomically(output, report) + "\n";
        } catch (IOException e) {
            throw new CliException("cannot write " + output.toAbsolutePath() + " (" + e + ")");
        }
    }

    /**
     * Agent options for a target, checked here first: the same one line as at start-up, before touching the target;
     * no {@code ;}, which separates the control command's fields.
     */
    static String checkedOptions(String options) throws CliException {
        try {
            AgentConfig.parse(options);
        } catch (ConfigException bad) {
            throw new CliException(bad.getMessage());
        }
        if (options.contains(";")) {
            throw new CliException("option values cannot contain ';'");
        }
        return options;
    }

    /** A report format the target can render. */
    static String format(String value) throws CliException {
        if (!value.equals("text") && !value.equals("json") && !value.equals("html")) {
            throw new CliException("bad value '" + value + "' for --format (accepted: text|json|html)");
        }
        return value;
    }

    private static String record(List<String> args) throws CliException {
        requireAttach();
        return RecordCommand.parse(args, System.err).run(attacher());
    }

    private static String status(List<String> args) throws CliException {
        long pid = pid(args, "status");
        Attacher attacher = attacher();
        String state = attacher.state(pid);
        if (state == null) {
            throw new CliException("socktrace is not loaded in JVM " + pid);
        }
        if (!state.startsWith("recording")) {
            return "loaded: yes\nrecording: no (" + state + ")\n";
        }
        return "loaded: yes\n" + attacher.command(pid, "status", "text", "");
    }

    private static String detach(List<String> args) throws CliException {
        long pid = pid(args, "detach");
        Attacher attacher = attacher();
        requireRecording(attacher, pid);
        return "socktrace: JVM " + pid + " " + attacher.command(pid, "detach", "text", "");
    }

    private static void requireRecording(Attacher attacher, long pid) throws CliException {
        String state = attacher.state(pid);
        if (state == null) {
            throw new CliException("socktrace is not loaded in JVM " + pid + " (attach it first)");
        }
        if (!state.startsWith("recording")) {
            throw new CliException("socktrace is not recording in JVM " + pid + " (" + state + ")");
        }
    }

    private static long pid(List<String> args, String command) throws CliException {
        if (args.isEmpty()) {
            throw new CliException("usage: " + command + " PID|MAINCLASS|JARNAME (try " + command + " --help)");
        }
        return Targets.resolve(args.get(0));
    }

    private static Attacher attacher() throws CliException {
        requireAttach();
        try {
            return new Attacher(io.socktrace.agent.AgentJar.path());
        } catch (Exception e) {
            throw new CliException("cannot locate the agent jar (" + e + ")");
        }
    }

    private static void requireAttach() throws CliException {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new CliException("this Java runtime has no jdk.attach module; run the command with a full JDK");
        }
    }

    private static String help(String command) throws CliException {
        switch (command) {
            case "list":
                return "usage: list\n  the JVMs this user can attach to, with pid and main class\n";
            case "record":
                return RecordCommand.USAGE + "\n  attaches to the JVM (a pid, or the main class or jar of one JVM that "
                        + "list shows), records for the duration (default 30s; Ctrl-C ends it early), writes the report "
                        + "(to FILE atomically and owner-only, else to standard output) and detaches; a JVM where "
                        + "socktrace records already is reported and left recording\n\n" + options();
            case "attach":
                return "usage: attach JVM [key=value,...]\n  loads socktrace into JVM (a pid, main class or jar) and starts "
                        + "recording, with the same options as -javaagent\n\n" + options();
            case "report":
                return "usage: report JVM [--format text|json|html] [--output FILE]\n  prints the current report, or writes "
                        + "it to FILE (atomically, owner-only); recording goes on\n";
            case "status":
                return "usage: status JVM\n  whether socktrace is loaded and recording, since when, with which options, "
                        + "and its counters\n";
            case "detach":
                return "usage: detach JVM\n  stops recording and restores the JDK's classes; attach again later at will\n";
            default:
                throw new CliException("unknown command '" + command + "' (try --help)");
        }
    }

    private static String options() {
        StringBuilder out = new StringBuilder("options (default in brackets; also -Dsocktrace.KEY=VALUE, arguments win):\n");
        for (Option option : Option.values()) {
            out.append(String.format("  %-16s %s [%s]%n  %-16s   %s%n", option.key(), option.accepted(),
                    option.defaultValue(), "", option.help()));
        }
        return out.toString();
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
