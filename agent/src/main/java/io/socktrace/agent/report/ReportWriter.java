package io.socktrace.agent.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Delivers a rendered report to standard error or to a file ({@link ReportFiles#writeAtomically}); the previous
 * report stays until the new one is complete.
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
        stderr.println("socktrace: report written to " + ReportFiles.writeAtomically(file, report));
    }
}
