package io.socktrace.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The transformer the JVM sees: a name check that lets every class but the few JDK socket classes (and Netty's
 * native socket classes, in any loader and under any prefix) pass untouched at the cost of one set lookup or a few
 * {@code endsWith}, and hands those to Byte Buddy's transformer. That one takes a few hundred
 * milliseconds to build on a cold JVM, so it is built on a background thread while the application starts; a
 * socket class that loads before it is ready waits for it (bounded), so no connection is ever missed.
 */
final class GatedTransformer implements ClassFileTransformer {

    /** How long a socket class may wait for the transformer before it loads uninstrumented. */
    static final long WAIT_SECONDS = 30;

    private final Set<String> internalNames;
    private final List<String> libraryNames;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassFileTransformer delegate;

    /**
     * @param internalNames the JDK classes, defined by the bootstrap loader
     * @param libraryNames  library classes, in any other loader, also relocated under any package prefix
     */
    GatedTransformer(Set<String> internalNames, List<String> libraryNames) {
        this.internalNames = internalNames;
        this.libraryNames = libraryNames;
    }

    /** Opens the gate; {@code null} if building failed, and the classes load as they are. */
    void open(ClassFileTransformer transformer) {
        delegate = transformer;
        ready.countDown();
    }

    /** Waits (bounded) until the gate is open; false if it is not open by then. */
    boolean awaitOpen(long seconds) throws InterruptedException {
        return ready.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        if (className == null || (loader == null ? !internalNames.contains(className)
                : !LibraryInstrumentation.isCopyOfAny(className, libraryNames))) {
            return null;
        }
        try {
            if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        ClassFileTransformer transformer = delegate;
        return transformer == null ? null : transformer.transform(module, loader, className, redefined, domain, bytes);
    }
}
