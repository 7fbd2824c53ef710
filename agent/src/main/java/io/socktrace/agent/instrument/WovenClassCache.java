package io.socktrace.agent.instrument;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The socket classes as Byte Buddy wove them on an earlier run (the JDK's, and Netty's native transports'), kept on
 * disk so that later JVMs start without building Byte Buddy at all: building it and weaving costs a cold JVM about
 * a second and a half of CPU (most of it the JIT compiling Byte Buddy), more than everything else the agent does
 * at start-up.
 *
 * <p>An entry holds the class's original bytes beside the woven ones, and is used only if the JVM hands over exactly
 * those original bytes: the same class of the same JDK build or library version, woven by the same agent jar (the
 * directory is named by the jar's content and by the runtime's version). The weaving reads nothing but those bytes
 * and the fields its advice reads, which the class declares or, where a superclass declares them (Netty's
 * {@code socket}), uses itself, so that its bytes pin their names and types. At most {@value #MAX_ENTRIES} entries
 * per runtime; beyond, classes are woven at each start. The directories are the user's own (mode 700, owned by this user,
 * else the cache is not used), entries are written whole and renamed into place, and a damaged one is ignored.
 * Lookups go through {@code java.io} only: they run while a socket class loads, where NIO's file streams would
 * load socket classes themselves (on JDK 25).
 */
public final class WovenClassCache {

    private static final int MAGIC = 0x53545743; // "STWC"
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** Directories of other agent jars kept beside this one's (say, two versions in use on one machine). */
    private static final int OTHER_JARS_KEPT = 3;
    /** Entries kept per runtime: the JDK's seven, and library classes of the versions this user's JVMs load. */
    static final int MAX_ENTRIES = 512;

    private final File jarDir;
    private final File dir;
    private final String state;

    private WovenClassCache(File jarDir, File dir, String state) {
        this.jarDir = jarDir;
        this.dir = dir;
        this.state = state;
    }

    /**
     * The cache under {@code root} for this agent jar and this runtime; one that does nothing if {@code root} is
     * {@code null} or cannot be used (not a directory of this user's own, or not creatable): see {@link #state}.
     */
    public static WovenClassCache open(Path root, Path agentJar) {
        if (root == null) {
            return new WovenClassCache(null, null, "off");
        }
        try {
            Path jarDir = root.resolve(jarId(agentJar));
            Path dir = jarDir.resolve(runtimeId());
            boolean newJar = !Files.isDirectory(jarDir, LinkOption.NOFOLLOW_LINKS);
            if (root.getParent() != null) {
                Files.createDirectories(root.getParent()); // ~/.cache on a fresh account
            }
            for (Path level : new Path[] {root, jarDir, dir}) {
                ownDirectory(level);
            }
            if (newJar) {
                pruneOtherJars(root.toFile(), jarDir.toFile());
            }
            return new WovenClassCache(jarDir.toFile(), dir.toFile(), dir.toString());
        } catch (IOException | RuntimeException unusable) {
            return new WovenClassCache(null, null, "not used: " + unusable);
        }
    }

    /** {@link #open(Path, Path)} for the agent jar this class came from. */
    public static WovenClassCache open(Path root) {
        try {
            return open(root, io.socktrace.agent.AgentJar.path());
        } catch (java.net.URISyntaxException | RuntimeException unusable) {
            return new WovenClassCache(null, null, "not used: " + unusable);
        }
    }

    private static void ownDirectory(Path level) throws IOException {
        if (!Files.isDirectory(level, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(level, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException racedByAnotherJvm) {
                // checked below like any existing directory
            }
        }
        PosixFileAttributes attributes = Files.readAttributes(level, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(System.getProperty("user.name"))
                || !attributes.permissions().equals(OWNER_ONLY)) {
            throw new IOException(level + " is not this user's own directory (owner " + attributes.owner().getName()
                    + ", mode " + PosixFilePermissions.toString(attributes.permissions()) + ")");
        }
    }

    /** Whether this cache is in use. */
    public boolean usable() {
        return dir != null;
    }

    /** Its directory, {@code off}, or {@code not used: } and why. */
    public String state() {
        return state;
    }

    /** The directory shared by every runtime using this agent jar, or {@code null} if the cache is not used. */
    File jarDirectory() {
        return jarDir;
    }

    /** The woven bytes of {@code internalName} kept for exactly these {@code original} bytes, or {@code null}. */
    byte[] lookup(String internalName, byte[] original) {
        if (dir == null) {
            return null;
        }
        File file = file(internalName, original);
        if (!file.isFile()) {
            return null;
        }
        try (InputStream in = new FileInputStream(file)) {
            ByteBuffer entry = ByteBuffer.wrap(in.readAllBytes());
            if (entry.getInt() != MAGIC) {
                return null;
            }
            byte[] kept = new byte[entry.getInt()];
            entry.get(kept);
            if (!Arrays.equals(kept, original)) {
                return null;
            }
            byte[] woven = new byte[entry.getInt()];
            entry.get(woven);
            return entry.getLong() == crc(woven) && !entry.hasRemaining() ? woven : null;
        } catch (IOException | RuntimeException damaged) {
            return null;
        }
    }

    /** Keeps {@code woven} for the next JVM; a failure to write only means the next start weaves again. */
    void store(String internalName, byte[] original, byte[] woven) {
        if (dir == null) {
            return;
        }
        File file = file(internalName, original);
        String[] held = dir.list();
        if (held == null || held.length >= MAX_ENTRIES) {
            return; // bounded: library versions beyond it are woven at each start instead
        }
        File partial = new File(dir, file.getName() + "." + ProcessHandle.current().pid() + ".partial");
        ByteBuffer entry = ByteBuffer.allocate(4 + 4 + original.length + 4 + woven.length + 8);
        entry.putInt(MAGIC).putInt(original.length).put(original).putInt(woven.length).put(woven).putLong(crc(woven));
        try (FileOutputStream out = new FileOutputStream(partial)) {
            out.write(entry.array());
        } catch (IOException | RuntimeException unwritable) {
            partial.delete();
            return;
        }
        if (!partial.renameTo(file)) {
            partial.delete();
        }
    }

    /**
     * Those of {@code internalNames} the cache holds no entry for (for any version of their bytes), from one
     * listing of its directory; all of them if the cache is not used.
     */
    Set<String> missing(Set<String> internalNames) {
        Set<String> missing = new java.util.HashSet<>(internalNames);
        String[] names = dir == null ? null : dir.list();
        for (String name : names == null ? new String[0] : names) {
            int dash = name.lastIndexOf('-', name.lastIndexOf('-') - 1); // before the CRC and the length
            if (dash > 0 && name.endsWith(".woven")) {
                missing.remove(name.substring(0, dash).replace('.', '/'));
            }
        }
        return missing;
    }

    private File file(String internalName, byte[] original) {
        return new File(dir, internalName.replace('/', '.') + "-" + Long.toHexString(crc(original)) + "-"
                + original.length + ".woven");
    }

    /**
     * Each agent build has a directory of its own: when a new one is made, all but the few most recently used
     * others are removed, so that the cache stays small however many builds ran here.
     */
    private static void pruneOtherJars(File root, File kept) {
        File[] jars = root.listFiles(file -> file.isDirectory() && !file.equals(kept));
        if (jars == null || jars.length <= OTHER_JARS_KEPT) {
            return;
        }
        Arrays.sort(jars, Comparator.comparingLong(File::lastModified).reversed()); // rarely: a new agent build
        for (File old : Arrays.copyOfRange(jars, OTHER_JARS_KEPT, jars.length)) {
            File[] runtimes = old.listFiles();
            for (File runtime : runtimes == null ? new File[0] : runtimes) {
                File[] entries = runtime.listFiles();
                for (File entry : entries == null ? new File[0] : entries) {
                    entry.delete();
                }
                runtime.delete();
            }
            old.delete();
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The runtime, as a directory name: vendor, version and VM version, which name one JDK build. */
    private static String runtimeId() {
        String id = System.getProperty("java.vm.vendor", "") + "-" + System.getProperty("java.runtime.version", "")
                + "-" + System.getProperty("java.vm.version", "");
        return id.replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    /**
     * The agent jar's content, as a directory name: the CRC of its central directory, which lists every entry's
     * name, size and CRC, read from the end of the file without inflating anything.
     */
    static String jarId(Path jar) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(jar.toFile(), "r")) {
            long length = file.length();
            int tail = (int) Math.min(length, 22 + 65_535); // end-of-central-directory record and its comment
            byte[] end = new byte[tail];
            file.seek(length - tail);
            file.readFully(end);
            ByteBuffer buffer = ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = tail - 22; at >= 0; at--) {
                if (buffer.getInt(at) == 0x06054b50) {
                    long size = buffer.getInt(at + 12) & 0xffffffffL;
                    long offset = buffer.getInt(at + 16) & 0xffffffffL;
                    byte[] directory = new byte[(int) size];
                    file.seek(offset);
                    file.readFully(directory);
                    CRC32 crc = new CRC32();
                    crc.update(directory);
                    return Long.toHexString(crc.getValue()) + "-" + Long.toHexString(size);
                }
            }
            throw new IOException("not a jar: " + jar);
        }
    }
}
