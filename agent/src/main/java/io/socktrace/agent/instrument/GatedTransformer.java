package io.socktrace.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transformer the JVM sees: a name check that lets every class but the few JDK socket classes (and Netty's
 * native socket classes, in any loader and under any prefix) pass untouched at the cost of one set lookup or a few
 * {@code endsWith}. A class kept woven in the {@link WovenClassCache} (the JDK's, and a library's once a JVM has
 * woven that version of it) is answered from it; the rest go to Byte Buddy's transformer. That one takes a second
 * of CPU to build on a cold JVM, so it is built on a background thread, and only once something needs it (with a
 * cache that knows the classes a JVM loads, it never builds it); a socket class that loads before it is ready
 * waits for it (bounded), so no connection is ever missed.
 */
final class GatedTransformer implements ClassFileTransformer {

    /** How long a socket class may wait for the transformer before it loads uninstrumented. */
    static final long WAIT_SECONDS = 30;

    private final Set<String> internalNames;
    private final List<String> libraryNames;
    private final WovenClassCache cache;
    private final Runnable build;
    private final AtomicBoolean building = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong transformed;
    private final AtomicLong fromCache;
    private volatile ClassFileTransformer delegate;

    /**
     * @param internalNames the JDK classes, defined by the bootstrap loader
     * @param libraryNames  library classes, in any other loader, also relocated under any package prefix
     * @param cache         the woven JDK classes of earlier runs
     * @param build         builds Byte Buddy's transformer on a background thread and {@link #open opens} the gate
     * @param transformed   counts the classes woven, from the cache or not
     * @param fromCache     counts the classes answered from the cache
     */
    GatedTransformer(Set<String> internalNames, List<String> libraryNames, WovenClassCache cache, Runnable build,
                     AtomicLong transformed, AtomicLong fromCache) {
        this.internalNames = internalNames;
        this.libraryNames = libraryNames;
        this.cache = cache;
        this.build = build;
        this.transformed = transformed;
        this.fromCache = fromCache;
    }

    /** Starts building Byte Buddy's transformer unless that has started already. */
    void startBuilding() {
        if (!building.get() && building.compareAndSet(false, true)) {
            build.run();
        }
    }

    /** Opens the gate; {@code null} if building failed, and the classes load as they are. */
    void open(ClassFileTransformer transformer) {
        delegate = transformer;
        ready.countDown();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        if (className == null || (loader == null ? !internalNames.contains(className)
                : !LibraryInstrumentation.isCopyOfAny(className, libraryNames))) {
            return null;
        }
        // a library class too: its woven bytes depend only on its own bytes (and the agent's), which the entry checks
        boolean cacheable = cache.usable();
        if (cacheable) {
            byte[] woven = cache.lookup(className, bytes);
            if (woven != null) {
                fromCache.incrementAndGet();
                transformed.incrementAndGet();
                return woven;
            }
        }
        startBuilding();
        try {
            if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        ClassFileTransformer transformer = delegate;
        if (transformer == null) {
            return null;
        }
        byte[] woven = transformer.transform(module, loader, className, redefined, domain, bytes);
        if (woven != null) {
            transformed.incrementAndGet();
            if (cacheable) {
                cache.store(className, bytes, woven);
            }
        }
        return woven;
    }
}
