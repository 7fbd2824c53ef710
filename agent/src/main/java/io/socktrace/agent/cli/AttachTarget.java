package io.socktrace.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks, from /proc and without signalling it, that attaching cannot harm a process. On Linux the JDK starts a
 * JVM's attach listener, when its socket does not exist yet, by sending it SIGQUIT; JDK 17 sends it unchecked, and
 * SIGQUIT kills a process that does not catch it: most that are not JVMs, and a JVM started with -Xrs.
 */
final class AttachTarget {

    private static final long SIGQUIT = 1L << 2; // signal 3 in the masks of /proc/PID/status

    private AttachTarget() {
    }

    /** Returns if {@code pid} is a HotSpot JVM whose attach listener runs, or that catches SIGQUIT to start it. */
    static void check(long pid) throws CliException {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            // no procfs (not Linux): the JDK lists the JVMs it finds perf-data files of, which signals nothing
            if (VirtualMachine.list().stream().noneMatch(vm -> vm.id().equals(Long.toString(pid)))) {
                throw refused(pid, "the JDK lists no JVM with this pid");
            }
            return;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            List<String> status = Files.readAllLines(proc.resolve("status"), StandardCharsets.ISO_8859_1);
            String[] nsPids = field(status, "NSpid", Long.toString(pid)).split("\\s+");
            String nsPid = nsPids[nsPids.length - 1]; // the pid the target sees, in its own namespace
            if (listening(proc, pid, nsPid)) {
                return; // attaching only connects to the socket
            }
            if (!hotSpot(proc, nsPid)) {
                throw refused(pid, "no HotSpot JVM in it: libjvm.so is not mapped and it has no perf-data file");
            }
            if ((mask(status, "SigIgn") & SIGQUIT) != 0) {
                throw refused(pid, "it ignores SIGQUIT, so its attach listener cannot be started");
            }
            if ((mask(status, "SigCgt") & SIGQUIT) == 0) {
                throw refused(pid, "it does not handle SIGQUIT and has no attach socket; attaching would kill it");
            }
        } catch (NoSuchFileException gone) {
            throw new CliException("no process with pid " + pid);
        } catch (AccessDeniedException denied) {
            throw refused(pid, "cannot read " + denied.getFile() + ": permission denied" + owner(proc));
        } catch (IOException e) {
            throw refused(pid, "cannot read " + proc + " (" + e + ")");
        }
    }

    private static CliException refused(long pid, String why) {
        return new CliException("process " + pid + " is not a JVM this user can attach to (" + why + ")");
    }

    /** Whether the attach socket exists where the JDK looks for it: then it sends no signal. */
    private static boolean listening(Path proc, long pid, String nsPid) {
        // JDK 17 looks in its own /tmp when the target has the same pid there, later JDKs in the target's /tmp
        return Files.exists(proc.resolve("root/tmp/.java_pid" + nsPid))
                && (!nsPid.equals(Long.toString(pid)) || Files.exists(Path.of("/tmp/.java_pid" + pid)));
    }

    private static boolean hotSpot(Path proc, String nsPid) throws IOException {
        // ISO-8859-1: mapped file names are bytes; " (deleted)" may follow when the JDK was updated under it
        if (Files.readAllLines(proc.resolve("maps"), StandardCharsets.ISO_8859_1).stream()
                .anyMatch(line -> line.contains("/libjvm.so"))) {
            return true;
        }
        // a JVM linked statically maps no libjvm.so, but writes perf data (unless -XX:-UsePerfData)
        try (DirectoryStream<Path> users = Files.newDirectoryStream(proc.resolve("root/tmp"), "hsperfdata_*")) {
            for (Path user : users) {
                if (Files.exists(user.resolve(nsPid))) {
                    return true;
                }
            }
        } catch (NoSuchFileException noTmp) {
            // no /tmp in its file system (or it just ended): no perf data
        }
        return false;
    }

    private static String field(List<String> status, String name, String otherwise) {
        for (String line : status) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return otherwise; // NSpid is missing before Linux 4.1
    }

    private static long mask(List<String> status, String name) {
        return Long.parseUnsignedLong(field(status, name, "0"), 16);
    }

    /** Why /proc may be closed to us: the process is another user's (its /proc directory belongs to its user). */
    private static String owner(Path proc) {
        try {
            Object uid = Files.getAttribute(proc, "unix:uid");
            boolean ours = uid.equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            return ours ? "" : ", it belongs to another user, uid " + uid;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
