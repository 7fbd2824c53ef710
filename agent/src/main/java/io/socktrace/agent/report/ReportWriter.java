package io.socktrace.agent.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Delivers a rendered report to standard error or to a file. A file is written beside its final name and moved
 * over it, so a reader never sees half a report; the previous report stays until the new one is complete.
 */
public final class ReportWriter {

    private final Path file;
    private final PrintStream stderr;

    /** @param file the report file, or {@code null} for standard error */
    public ReportWriter(Path file, PrintStream stderr) {
        this.file = file;
        this.stderr = stderr;
    }

    public Path file() {
        return file;
    }

    /** Writes the report; says where on standard error when it went to a file. */
    public void write(String report) throws IOException {
        if (file == null) {
            stderr.print(report);
            stderr.flush();
            return;
        }
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.writeString(partial, report, StandardCharsets.UTF_8);
        try {
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException notAtomicHere) {
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
        stderr.println("socktrace: report written to " + absolute);
    }
}
