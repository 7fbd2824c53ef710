package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.Faults;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How socktrace writes a report file: beside its final name, readable by the owner only (reports hold host names,
 * ports and code paths), then moved over it, so a reader never sees half a report.
 */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** Writes {@code text} to {@code file} atomically; returns the absolute path written. */
    public static Path writeAtomically(Path file, String text) throws IOException {
        if (Faults.enabled(Faults.Fault.WRITE)) {
            throw new IOException("socktrace test fault: " + Faults.Fault.WRITE);
        }
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(partial);
        }
        try {
            // java.io, not Files.writeString: on JDK 25 an NIO file stream loads SocketChannelImpl, and at exit
            // before the background build is done that load would wait for it
            try (OutputStream out = new FileOutputStream(partial.toFile())) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            try {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException notHere) {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return absolute;
    }

    /** The default report file: in the temporary directory, named after this process. */
    public static Path defaultFile(String format) {
        return Path.of(System.getProperty("java.io.tmpdir"),
                "socktrace-" + ProcessHandle.current().pid() + (format.equals("json") ? ".json" : ".txt"));
    }
}
