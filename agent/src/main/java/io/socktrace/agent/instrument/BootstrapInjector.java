package io.socktrace.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the {@code bootstrap} package visible to the bootstrap class loader, which defines the JDK classes the
 * advice is woven into: its classes are copied from the agent jar into a private temporary jar that is appended
 * to the bootstrap search path.
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

    /** Appends the bootstrap classes unless an earlier load of the agent (a second attach) already did. */
    public static void inject(Instrumentation instrumentation, Path agentJar) throws IOException {
        if (isInjected()) {
            return;
        }
        // createTempFile makes the file readable by its owner only, so no one else can swap the classes
        Path jar = Files.createTempFile("socktrace-bootstrap-", ".jar");
        jar.toFile().deleteOnExit();
        String prefix = BOOTSTRAP_PACKAGE.replace('.', '/') + "/";
        int copied = 0;
        try (JarFile agent = new JarFile(agentJar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
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
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        if (!isInjected()) {
            throw new IOException("bootstrap classes appended from " + jar + " but not visible");
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
