package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.Faults;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How socktrace writes a report file: beside its final name, readable by the owner only (reports hold host names,
 * ports and code paths), then moved over it, so a reader never sees half a report. A device or pipe already at
 * that name ({@code /dev/null}) is written into instead: moving a file over it would replace the device for the
 * whole machine.
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
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(absolute) && !Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            // a device or a pipe (report=/dev/null, /dev/stderr, a FIFO): written into, never replaced by a file
            try (OutputStream out = new FileOutputStream(absolute.toFile())) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return absolute;
        }
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

    /**
     * Creates or truncates {@code file} for writing, readable by its owner only, and never through a symbolic link
     * ({@code O_NOFOLLOW}: someone else's link in a shared directory would otherwise redirect what is written).
     * A file channel rather than {@code Files.newOutputStream}, whose stream loads {@code SocketChannelImpl} on
     * JDK 25 (see above).
     */
    public static OutputStream openPrivate(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        try {
            channel = FileChannel.open(absolute, options,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            PosixFileAttributeView view = Files.getFileAttributeView(absolute, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                view.setPermissions(PosixFilePermissions.fromString("rw-------")); // it may have existed
            }
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(absolute, options);
        }
        return new ChannelStream(channel);
    }

    /** The few calls a buffered writer makes, onto a file channel. */
    private static final class ChannelStream extends OutputStream {

        private final FileChannel channel;

        ChannelStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The default report file: in the temporary directory, named after this process. */
    public static Path defaultFile(String format) {
        return Path.of(System.getProperty("java.io.tmpdir"),
                "socktrace-" + ProcessHandle.current().pid() + (format.equals("json") ? ".json" : format.equals("html") ? ".html" : ".txt"));
    }
}
