package io.socktrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @Test
    void aReportFileIsReplacedWholeAndOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.txt");
        Files.writeString(file, "an older report, longer than the new one");
        ReportFiles.writeAtomically(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(dir.resolve("report.txt.partial")));
    }

    @Test
    void aDeviceIsWrittenIntoNeverReplaced() throws Exception {
        // report=/dev/null: moving a file over it (as root) would replace the machine's /dev/null with a file
        Path devNull = Path.of("/dev/null");
        ReportFiles.writeAtomically(devNull, "a report nobody keeps");
        assertFalse(Files.isRegularFile(devNull, LinkOption.NOFOLLOW_LINKS), "/dev/null is still a device");
        assertTrue(Files.exists(devNull));
        assertFalse(Files.exists(Path.of("/dev/null.partial")));
    }
}
