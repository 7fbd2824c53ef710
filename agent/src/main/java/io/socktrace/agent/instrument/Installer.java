package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.socktrace.agent.bootstrap.JdkInternals;
import io.socktrace.agent.bootstrap.SocketEvents;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the advice into the JDK's socket classes, those loaded later and those already loaded (by
 * retransformation, which changes method bodies only). Failures to transform are counted and logged, never
 * thrown: a class that cannot be instrumented stays as it was.
 */
public final class Installer {

    /** Every JDK class socktrace instruments. */
    static final List<TypeInstrumentation> INSTRUMENTATIONS = List.of(
            new NioSocketImplInstrumentation(),
            new SocketChannelImplInstrumentation(),
            new ServerSocketChannelImplInstrumentation(),
            new SslSocketImplInstrumentation(),
            new AsyncSocketChannelInstrumentation(),
            new AsyncSocketChannelBaseInstrumentation());

    /** JDK packages whose private fields tie a connection's layers together (see {@link JdkInternals}). */
    private static final List<String> OPENED_PACKAGES = List.of("java.net", "sun.nio.ch", "sun.security.ssl");

    private final AtomicLong transformed = new AtomicLong();
    private volatile ResettableClassFileTransformer transformer;
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;

    /** Installs the instrumentation; {@link #uninstall} undoes it. */
    public void install(Instrumentation instrumentation) {
        openJdkInternals(instrumentation);
        // Byte Buddy probes sun.misc.Unsafe when its agent builder is first created, which JDK 24+ answers with a
        // warning on standard error; advice needs no class injection, so tell our (relocated) copy not to.
        System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        String[] names = INSTRUMENTATIONS.stream().map(TypeInstrumentation::typeName).toArray(String[]::new);
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Outcome())
                // only the classes advised below are ever looked at; this also lifts the default exclusion of
                // bootstrap classes
                .ignore(not(namedOneOf(names)))
                // java.base must read the bootstrap loader's unnamed module to call SocketEvents
                .assureReadEdgeTo(instrumentation, SocketEvents.class);
        ClassLoader adviceLoader = Installer.class.getClassLoader();
        for (TypeInstrumentation type : INSTRUMENTATIONS) {
            builder = builder.type(named(type.typeName()))
                    .transform(type.advise(new AgentBuilder.Transformer.ForAdvice().include(adviceLoader)));
        }
        transformer = builder.installOn(instrumentation);
    }

    /**
     * Removes the transformer and retransforms the instrumented classes back to the JDK's own bytes; returns
     * whether that worked.
     */
    public boolean uninstall(Instrumentation instrumentation) {
        ResettableClassFileTransformer installed = transformer;
        if (installed == null) {
            return true;
        }
        transformer = null;
        boolean reset = installed.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        if (reset) {
            transformed.set(0);
        } else {
            fail("uninstall", "the transformer was not registered");
        }
        return reset;
    }

    /** Whether the instrumentation is installed. */
    public boolean installed() {
        return transformer != null;
    }

    /**
     * Opens the packages in {@link #OPENED_PACKAGES} to the bootstrap classes only (the unnamed module of the
     * bootstrap loader, which holds nothing else an application controls), so they can read private fields.
     */
    private void openJdkInternals(Instrumentation instrumentation) {
        try {
            Module javaBase = Object.class.getModule();
            Module recorder = SocketEvents.class.getModule();
            Map<String, Set<Module>> opens = new java.util.HashMap<>();
            for (String pkg : OPENED_PACKAGES) {
                opens.put(pkg, Set.of(recorder));
            }
            instrumentation.redefineModule(javaBase, Set.of(), Map.of(), opens, Set.of(), Map.of());
            String problem = JdkInternals.init();
            if (problem != null) {
                fail("JDK internals", problem);
            }
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
