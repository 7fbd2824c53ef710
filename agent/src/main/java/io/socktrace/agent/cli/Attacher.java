package io.socktrace.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.socktrace.agent.control.AgentCommands;
import io.socktrace.agent.control.AgentRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Talks to a running JVM through the JDK's attach mechanism (a local socket of the target JVM, same user only):
 * reads its system properties to see whether socktrace runs there, and loads the agent jar with a command
 * ({@link AgentCommands}) whose answer comes back in an owner-only temporary file.
 */
final class Attacher {

    private final Path agentJar;

    Attacher(Path agentJar) {
        this.agentJar = agentJar;
    }

    static List<VirtualMachineDescriptor> list() {
        return VirtualMachine.list();
    }

    /** The agent's state in the target: {@code null} if it was never loaded, else "recording since ..." or "detached at ...". */
    String state(long pid) throws CliException {
        VirtualMachine vm = attach(pid);
        try {
            return vm.getSystemProperties().getProperty(AgentRuntime.STATE_PROPERTY);
        } catch (IOException e) {
            throw new CliException("could not read the state of JVM " + pid + " (" + e.getMessage() + ")");
        } finally {
            detachQuietly(vm);
        }
    }

    /** Runs a command in the target and returns its answer; a failed command is a {@link CliException}. */
    String command(long pid, String verb, String format, String options) throws CliException {
        Path response;
        try {
            response = AgentCommands.responseFile();
        } catch (IOException e) {
            throw new CliException("cannot create a temporary file (" + e.getMessage() + ")");
        }
        VirtualMachine vm = attach(pid);
        try {
            vm.loadAgent(agentJar.toString(), AgentCommands.PREFIX + verb + ";" + format + ";" + options + ";" + response);
            List<String> answer = Files.readAllLines(response, StandardCharsets.UTF_8);
            if (answer.isEmpty()) {
                throw new CliException("JVM " + pid + " did not answer (see its standard error)");
            }
            String body = String.join("\n", answer.subList(1, answer.size()));
            if (!answer.get(0).equals("ok")) {
                throw new CliException(body.strip());
            }
            return body.isEmpty() ? "" : body + "\n";
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new CliException("JVM " + pid + " could not load " + agentJar + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new CliException("lost JVM " + pid + " while talking to it (" + e.getMessage() + ")");
        } finally {
            detachQuietly(vm);
            try {
                Files.deleteIfExists(response);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static VirtualMachine attach(long pid) throws CliException {
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new CliException("no process with pid " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new CliException("cannot attach to itself");
        }
        AttachTarget.check(pid); // before the JDK signals it: JDK 17 would kill a process that does not catch SIGQUIT
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new CliException("process " + pid + " is not a JVM this user can attach to (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new CliException("could not attach to JVM " + pid + " (" + e.getMessage() + ")");
        }
    }

    private static void detachQuietly(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target may be gone; nothing to undo on our side
        }
    }
}
