package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.Faults;
import io.socktrace.agent.bootstrap.JdkInternals;
import io.socktrace.agent.bootstrap.SocketEvents;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the advice into the JDK's socket classes, those loaded later and those already loaded (by
 * retransformation, which changes method bodies only). Failures to transform are counted and logged, never
 * thrown: a class that cannot be instrumented stays as it was.
 */
public final class Installer {

    /**
     * Every class socktrace instruments: the JDK's, then Netty's native transports (under any package prefix):
     * epoll, io_uring of 4.2 ({@code io.netty.channel.uring}) and of the 4.1 incubator, whose names differ.
     */
    static final List<TypeInstrumentation> INSTRUMENTATIONS = List.of(
            new NioSocketImplInstrumentation(),
            new NetInstrumentation(),
            new SocketChannelImplInstrumentation(),
            new ServerSocketChannelImplInstrumentation(),
            new SslSocketImplInstrumentation(),
            new AsyncSocketChannelInstrumentation(),
            new AsyncSocketChannelBaseInstrumentation(),
            new NettyEpollChannelInstrumentation(),
            new NettyEpollSocketChannelInstrumentation(),
            new NettyUnixSocketInstrumentation(),
            new NettyFileDescriptorInstrumentation(),
            new NettyIoUringChannelInstrumentation("io.netty.channel.uring.AbstractIoUringChannel"),
            new NettyIoUringUnsafeInstrumentation("io.netty.channel.uring.AbstractIoUringChannel$AbstractUringUnsafe",
                    "close(ChannelPromise, Throwable, ClosedChannelException)", 3),
            new NettyIoUringSocketChannelInstrumentation("io.netty.channel.uring.IoUringSocketChannel"),
            NettyIoUringCompletionInstrumentation.reads42(),
            NettyIoUringCompletionInstrumentation.writes42(),
            new NettyIoUringChannelInstrumentation("io.netty.incubator.channel.uring.AbstractIOUringChannel"),
            new NettyIoUringUnsafeInstrumentation(
                    "io.netty.incubator.channel.uring.AbstractIOUringChannel$AbstractUringUnsafe",
                    "close(ChannelPromise)", 1),
            new NettyIoUringSocketChannelInstrumentation("io.netty.incubator.channel.uring.IOUringSocketChannel"),
            NettyIoUringCompletionInstrumentation.incubator());

    /** JDK packages whose private fields tie a connection's layers together (see {@code JdkInternals}). */
    private static final List<String> OPENED_PACKAGES = List.of("java.net", "sun.nio.ch", "sun.security.ssl");

    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong fromCache = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile GatedTransformer gate;
    private volatile WovenClassCache cache = WovenClassCache.open(null, null);
    /** The thread filling the cache ahead of use, whose failures are the cache's, not the application's. */
    private volatile Thread prefilling;

    /**
     * Installs the instrumentation; {@link #uninstall} undoes it. Socket classes loaded already (when attaching)
     * are retransformed before this returns; classes loaded later wait, when they load, for Byte Buddy's
     * transformer, which is built on a background thread: now, unless the woven-class cache holds every JDK
     * socket class, and otherwise only when a class the cache cannot answer loads.
     *
     * @param cache the woven JDK classes of earlier runs (maybe one not in use)
     */
    public void install(Instrumentation instrumentation, WovenClassCache cache, boolean inRunningJvm) {
        openJdkInternals(instrumentation);
        if (inRunningJvm) {
            // the socket classes are loaded already: resolve the JDK's fields here, before the advice is in, rather
            // than in the first application thread to touch a connection open since before recording (~15 ms)
            JdkInternals.resolve();
        }
        Set<String> internalNames = new HashSet<>();
        List<String> libraryNames = new ArrayList<>();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            (type.relocatable() ? libraryNames : internalNames).add(type.typeName().replace('.', '/'));
        }
        this.cache = cache;
        GatedTransformer[] installed = new GatedTransformer[1];
        // classes, not lambdas, on the start-up path: a cold JVM's first lambdas cost it milliseconds each
        Runnable build = new Runnable() {
            @Override
            public void run() {
                AgentHealth.thread("socktrace-init", "instrumentation builder", new Runnable() {
                    @Override
                    public void run() {
                        buildAndOpen(installed[0], cache, internalNames);
                    }
                }).start();
            }
        };
        installed[0] = new GatedTransformer(internalNames, libraryNames, cache, build, transformed, fromCache);
        gate = installed[0];
        instrumentation.addTransformer(installed[0], true);
        if (!cache.missing(internalNames).isEmpty()) {
            installed[0].startBuilding();
        }
        retransform(instrumentation); // classes loaded before the gate was in place: through it, now
    }

    /** Builds Byte Buddy's transformer, opens the gate, and fills the cache with the JDK classes it lacks. */
    private void buildAndOpen(GatedTransformer installed, WovenClassCache cache, Set<String> internalNames) {
        ClassFileTransformer transformer = null;
        try {
            transformer = build();
        } catch (Throwable e) {
            fail("the socket classes", e.toString());
        } finally {
            installed.open(transformer);
        }
        Faults.check(Faults.Fault.BUILD);
        if (transformer != null && cache.usable()) {
            prefill(transformer, cache, internalNames);
        }
    }

    /**
     * Weaves the JDK socket classes this JVM has not loaded (yet) from the runtime image and keeps them in the
     * cache, so that the next JVM needs no Byte Buddy even if it uses other socket classes than this one. The
     * JVM hands a transformer exactly these bytes when it loads such a class; if it ever did not, the entry
     * would simply never be used.
     */
    private void prefill(ClassFileTransformer transformer, WovenClassCache cache, Set<String> internalNames) {
        Module javaBase = Object.class.getModule();
        prefilling = Thread.currentThread();
        try {
            for (String name : cache.missing(internalNames)) {
                byte[] original;
                try (java.io.InputStream in = javaBase.getResourceAsStream(name + ".class")) {
                    if (in == null) {
                        continue;
                    }
                    original = in.readAllBytes();
                }
                byte[] woven = transformer.transform(javaBase, null, name, null, null, original);
                if (woven != null) {
                    cache.store(name, original, woven);
                }
            }
        } catch (Exception | LinkageError notKept) {
            // the next JVM weaves what is missing
        } finally {
            prefilling = null;
        }
    }

    private ClassFileTransformer build() {
        // Byte Buddy probes sun.misc.Unsafe when its agent builder is first created, which JDK 24+ answers with a
        // warning on standard error; advice needs no class injection, so tell our (relocated) copy not to.
        System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        ElementMatcher.Junction<TypeDescription> instrumented = none();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            instrumented = instrumented.or(matcher(type));
        }
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Outcome())
                // only the classes advised below are ever looked at; this also lifts the default exclusion of
                // bootstrap classes
                .ignore(not(instrumented));
        ClassLoader adviceLoader = Installer.class.getClassLoader();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            AgentBuilder.Transformer.ForAdvice advice =
                    type.advise(new AgentBuilder.Transformer.ForAdvice().include(adviceLoader));
            builder = builder.type(matcher(type))
                    .transform(type.relocatable() ? verified((LibraryInstrumentation) type, advice) : advice);
        }
        return builder.makeRaw();
    }

    /** The class itself, or for a library class, also any relocated copy of it. */
    private static ElementMatcher.Junction<TypeDescription> matcher(TypeInstrumentation type) {
        return type.relocatable() ? named(type.typeName()).or(nameEndsWith("." + type.typeName()))
                : named(type.typeName());
    }

    /**
     * A library class's advice, applied only if this version of the class has every method it advises; otherwise
     * the class is left as it is, in one line, and counted as not instrumented.
     */
    private AgentBuilder.Transformer verified(LibraryInstrumentation library, AgentBuilder.Transformer advice) {
        return (builder, type, loader, module, domain) -> {
            List<String> missing = library.missing(type);
            if (!missing.isEmpty()) {
                fail(type.getName(), "this version has no " + String.join(", ", missing)
                        + "; left as it is, its connections are not recorded");
                return builder;
            }
            return advice.transform(builder, type, loader, module, domain);
        };
    }

    /** Retransforms the loaded socket classes: through the gate when installed, back to the JDK's bytes when not. */
    private void retransform(Instrumentation instrumentation) {
        List<Class<?>> loaded = loadedTargets(instrumentation);
        if (loaded.isEmpty()) {
            return;
        }
        try {
            instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            fail("retransformation", e.toString());
        }
    }

    private static List<Class<?>> loadedTargets(Instrumentation instrumentation) {
        Set<String> names = new HashSet<>();
        List<String> libraryNames = new ArrayList<>();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            (type.relocatable() ? libraryNames : names).add(type.typeName());
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String name = type.getName();
            if (type.getClassLoader() == null ? names.contains(name)
                    : LibraryInstrumentation.isCopyOfAny(name, libraryNames)) {
                loaded.add(type);
            }
        }
        return loaded;
    }


    /**
     * Removes the transformer and retransforms the instrumented classes back to the JDK's own bytes; returns
     * whether that worked.
     */
    public boolean uninstall(Instrumentation instrumentation) {
        GatedTransformer installed = gate;
        if (installed == null) {
            return true;
        }
        gate = null;
        boolean removed = instrumentation.removeTransformer(installed);
        long failuresBefore = failed.get();
        retransform(instrumentation);
        if (removed && failed.get() == failuresBefore) {
            transformed.set(0);
            fromCache.set(0);
            return true;
        }
        fail("uninstall", removed ? "retransformation failed" : "the transformer was not registered");
        return false;
    }

    /**
     * Lets {@code java.base} read the bootstrap classes, and opens the packages in {@link #OPENED_PACKAGES} to them
     * only (the unnamed module of the bootstrap loader, which holds nothing else an application controls), so that
     * {@code JdkInternals} can read private fields.
     */
    private void openJdkInternals(Instrumentation instrumentation) {
        try {
            Module javaBase = Object.class.getModule();
            Module recorder = SocketEvents.class.getModule();
            Map<String, Set<Module>> opens = new java.util.HashMap<>();
            for (String pkg : OPENED_PACKAGES) {
                opens.put(pkg, Set.of(recorder));
            }
            // java.base reads the bootstrap classes (to call SocketEvents) and opens the packages to them
            instrumentation.redefineModule(javaBase, Set.of(recorder), Map.of(), opens, Set.of(), Map.of());
        } catch (RuntimeException e) {
            fail("JDK internals", e.toString());
        }
    }

    private void fail(String what, String why) {
        failed.incrementAndGet();
        lastFailure = what + ": " + why;
        System.err.println("socktrace: could not instrument " + what + " (" + why
                + "); some connections may not be recorded or not tied to their TLS layer");
    }

    /** Classes currently carrying socktrace's advice. */
    public long transformed() {
        return transformed.get();
    }

    /** The woven-class cache, in words: its directory and how many classes came from it, or why it is not used. */
    public String cacheState() {
        WovenClassCache current = cache;
        return current.usable() ? current.state() + " (" + fromCache.get() + " of the " + transformed.get()
                + " instrumented classes came from it)" : current.state();
    }

    /** Classes that could not be instrumented. */
    public long failed() {
        return failed.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    private final class Outcome extends AgentBuilder.Listener.Adapter {

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            if (Thread.currentThread() != prefilling) {
                fail(typeName, error.toString());
            }
        }
    }
}
