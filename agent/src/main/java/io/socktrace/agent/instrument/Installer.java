package io.socktrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.socktrace.agent.bootstrap.SocketEvents;
import java.lang.instrument.Instrumentation;
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

    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;

    /** Installs the instrumentation; returns the transformer, which can undo it. */
    public ResettableClassFileTransformer install(Instrumentation instrumentation) {
        // Byte Buddy probes sun.misc.Unsafe when its agent builder is first created, which JDK 24+ answers with a
        // warning on standard error; advice needs no class injection, so tell our (relocated) copy not to.
        System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Outcome())
                // only the classes advised below are ever looked at; this also lifts the default exclusion of
                // bootstrap classes
                .ignore(not(named(SocketInstrumentation.NIO_SOCKET_IMPL)))
                // java.base must read the bootstrap loader's unnamed module to call SocketEvents
                .assureReadEdgeTo(instrumentation, SocketEvents.class);
        return SocketInstrumentation.apply(builder).installOn(instrumentation);
    }

    /** Classes instrumented so far. */
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
            failed.incrementAndGet();
            lastFailure = typeName + ": " + error;
            System.err.println("socktrace: could not instrument " + typeName + " (" + error
                    + "); its connections will not be recorded");
        }
    }
}
