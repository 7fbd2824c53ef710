package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.socktrace.agent.bootstrap.AgentHealth;
import io.socktrace.agent.bootstrap.Faults;
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
import net.bytebuddy.dynamic.DynamicType;
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
                    "close(ChannelPromise, Throwable, ClosedChannelException)", takesArguments(3)),
            new NettyIoUringSocketChannelInstrumentation("io.netty.channel.uring.IoUringSocketChannel"),
            NettyIoUringCompletionInstrumentation.reads42(),
            NettyIoUringCompletionInstrumentation.writes42(),
            new NettyIoUringChannelInstrumentation("io.netty.incubator.channel.uring.AbstractIOUringChannel"),
            new NettyIoUringUnsafeInstrumentation(
                    "io.netty.incubator.channel.uring.AbstractIOUringChannel$AbstractUringUnsafe",
                    "close(ChannelPromise)", takesArguments(1)),
            new NettyIoUringSocketChannelInstrumentation("io.netty.incubator.channel.uring.IOUringSocketChannel"),
            NettyIoUringCompletionInstrumentation.incubator());

    /** JDK packages whose private fields tie a connection's layers together (see {@code JdkInternals}). */
    private static final List<String> OPENED_PACKAGES = List.of("java.net", "sun.nio.ch", "sun.security.ssl");

    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile GatedTransformer gate;

    /**
     * Installs the instrumentation; {@link #uninstall} undoes it. With {@code inBackground}, Byte Buddy's transformer
     * is built on a background thread and the socket classes wait for it when they load (at start-up none is loaded
     * yet); otherwise it is built now and the already-loaded classes are retransformed before this returns.
     */
    public void install(Instrumentation instrumentation, boolean inBackground) {
        openJdkInternals(instrumentation);
        Set<String> internalNames = new HashSet<>();
        List<String> libraryNames = new ArrayList<>();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            (type.relocatable() ? libraryNames : internalNames).add(type.typeName().replace('.', '/'));
        }
        GatedTransformer installed = new GatedTransformer(internalNames, libraryNames);
        gate = installed;
        instrumentation.addTransformer(installed, true);
        Runnable build = () -> {
            ClassFileTransformer transformer = null;
            try {
                transformer = build();
            } catch (Throwable e) {
                fail("the socket classes", e.toString());
            } finally {
                installed.open(transformer);
            }
            if (transformer != null) {
                retransform(instrumentation); // classes loaded before the gate was in place
            }
            Faults.check(Faults.Fault.BUILD);
        };
        if (inBackground && loadedTargets(instrumentation).isEmpty()) {
            AgentHealth.thread("socktrace-init", "instrumentation builder", build).start();
        } else {
            try {
                build.run();
            } catch (Throwable error) {
                AgentHealth.failed("instrumentation builder", error);
            }
        }
    }

    /** Waits until Byte Buddy's transformer is built, at most as long as a socket class would wait for it. */
    public void awaitInstalled() throws InterruptedException {
        GatedTransformer installed = gate;
        if (installed != null) {
            installed.awaitOpen(GatedTransformer.WAIT_SECONDS);
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

    /** JDK classes currently carrying socktrace's advice. */
    public long transformed() {
        return transformed.get();
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
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            transformed.incrementAndGet();
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            fail(typeName, error.toString());
        }
    }
}
