package io.socktrace.agent.instrument;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the {@code bootstrap} package visible to the bootstrap class loader, which defines the JDK classes the
 * advice is woven into: its classes are copied from the agent jar into a private jar (kept in the woven-class
 * cache, or temporary) that is appended to the bootstrap search path.
 *
 * <p><b>Note</b>: this must run before anything resolves a bootstrap class. The agent jar is also on the system
 * class path, and the system loader delegates to the bootstrap loader first, so once the jar is appended every
 * loader agrees on one copy of each class; a class resolved earlier would have been defined twice.
 */
public final class BootstrapInjector {

    static final String BOOTSTRAP_PACKAGE = "io.socktrace.agent.bootstrap";
    private static final String PROBE_CLASS = BOOTSTRAP_PACKAGE + ".SocketEvents";

    private BootstrapInjector() {
    }

    /**
     * Appends the bootstrap classes unless an earlier load of the agent (a second attach) already did: from the
     * copy kept in {@code cache} for this agent jar when there is one (made on first use), else from a private
     * temporary copy. Copying costs a cold JVM some 60 ms of inflating and deflating.
     */
    public static void inject(Instrumentation instrumentation, Path agentJar, WovenClassCache cache)
            throws IOException {
        if (isInjected()) {
            return;
        }
        Path jar = cache.usable() ? kept(agentJar, cache.jarDirectory().toPath()) : null;
        if (jar == null) {
            jar = createPrivateFile(Path.of(System.getProperty("java.io.tmpdir")), "socktrace-bootstrap-");
            jar.toFile().deleteOnExit();
            copy(agentJar, jar);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        if (!isInjected()) {
            throw new IOException("bootstrap classes appended from " + jar + " but not visible");
        }
    }

    /**
     * The bootstrap classes' jar kept in {@code dir} (this agent jar's directory of the cache, the user's own),
     * copied there whole and renamed into place if it is not there yet; {@code null} if that fails.
     */
    private static Path kept(Path agentJar, Path dir) {
        Path jar = dir.resolve("bootstrap.jar");
        try {
            if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) {
                Path partial = createPrivateFile(dir, "bootstrap.jar.");
                try {
                    copy(agentJar, partial);
                    Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            return Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) ? jar : null;
        } catch (IOException | RuntimeException notKept) {
            return null;
        }
    }

    private static void copy(Path agentJar, Path jar) throws IOException {
        String prefix = BOOTSTRAP_PACKAGE.replace('.', '/') + "/";
        int copied = 0;
        try (JarFile agent = new JarFile(agentJar.toFile());
             JarOutputStream out = new JarOutputStream(new FileOutputStream(jar.toFile()))) {
            for (Enumeration<JarEntry> entries = agent.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = agent.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                    copied++;
                }
            }
        }
        if (copied == 0) {
            throw new IOException("no " + BOOTSTRAP_PACKAGE + " classes in " + agentJar);
        }
    }

    /**
     * A new file in the temporary directory, readable and writable by its owner only, so that no one else can swap
     * the classes. Not {@code Files.createTempFile}: its random name comes from {@code SecureRandom}, whose set-up
     * reads the security properties through {@code Files.newInputStream}, which on JDK 25 loads
     * {@code SocketChannelImpl}; a socket class loaded during premain would force the instrumentation to be built
     * before {@code main} instead of in the background. The name need not be secret: the file is created only if
     * it does not exist ({@code O_EXCL}), never followed through a link.
     */
    private static Path createPrivateFile(Path dir, String prefix) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
        long unique = System.nanoTime() ^ ((long) System.identityHashCode(dir) << 32);
        for (int attempt = 0; ; attempt++) {
            Path file = dir.resolve(prefix + Long.toHexString(unique + attempt) + ".jar");
            try {
                return Files.createFile(file, ownerOnly);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 15) {
                    throw taken;
                }
            }
        }
    }

    private static boolean isInjected() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException notYet) {
            return false;
        }
    }
}
