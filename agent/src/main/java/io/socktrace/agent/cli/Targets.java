package io.socktrace.agent.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command is pointed at: a pid, or the main class or jar of exactly one running JVM of this user, as
 * {@code list} shows them (like {@code jcmd} and {@code asprof}). A main class matches by its full or simple name,
 * a jar by its path or file name.
 */
final class Targets {

    private Targets() {
    }

    /** The pid {@code target} names; one line saying why not otherwise (none, or several: then their pids). */
    static long resolve(String target) throws CliException {
        if (!target.isEmpty() && target.chars().allMatch(Character::isDigit)) {
            try {
                long pid = Long.parseLong(target);
                if (pid > 0) {
                    return pid;
                }
            } catch (NumberFormatException tooLong) {
                // reported below
            }
            throw new CliException("'" + target + "' is not a process id");
        }
        List<VirtualMachineDescriptor> matches = new ArrayList<>();
        String self = Long.toString(ProcessHandle.current().pid());
        for (VirtualMachineDescriptor vm : Attacher.list()) {
            if (!vm.id().equals(self) && matches(vm.displayName(), target)) {
                matches.add(vm);
            }
        }
        if (matches.isEmpty()) {
            throw new CliException("no JVM of this user runs '" + target + "' (list shows what runs)");
        }
        if (matches.size() > 1) {
            StringBuilder pids = new StringBuilder();
            for (VirtualMachineDescriptor vm : matches) {
                pids.append(pids.length() == 0 ? "" : ", ").append(vm.id());
            }
            throw new CliException("'" + target + "' is ambiguous: " + matches.size() + " JVMs run it (pids " + pids
                    + "); give a pid");
        }
        return Long.parseLong(matches.get(0).id());
    }

    /** Whether a JVM shown as {@code displayName} (main class or jar, then arguments) runs {@code target}. */
    static boolean matches(String displayName, String target) {
        String main = displayName.strip().split("\\s+", 2)[0];
        if (main.isEmpty()) {
            return false;
        }
        if (main.equals(target)) {
            return true;
        }
        if (main.endsWith(".jar")) {
            String file = main.substring(main.lastIndexOf('/') + 1);
            return file.equals(target) || main.endsWith("/" + target);
        }
        return main.substring(main.lastIndexOf('.') + 1).equals(target);
    }
}
