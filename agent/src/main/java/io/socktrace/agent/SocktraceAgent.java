package io.socktrace.agent;

import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.config.ConfigException;
import io.socktrace.agent.control.AgentCommands;
import io.socktrace.agent.control.AgentRuntime;
import io.socktrace.agent.instrument.BootstrapInjector;
import io.socktrace.agent.instrument.WovenClassCache;
import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} ({@link #premain}) and for loading into a running JVM ({@link #agentmain}),
 * which the command line also uses to send commands. Parses the options, makes the recording classes visible to
 * the JDK, and starts recording. Whatever goes wrong is said in one line on standard error and the application
 * carries on without the agent.
 */
public final class SocktraceAgent {

    private SocktraceAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        // AgentCommands.PREFIX is a constant, inlined here: AgentCommands itself loads only after the injection
        if (arguments != null && arguments.startsWith(AgentCommands.PREFIX)) {
            if (inject(instrumentation, WovenClassCache.open(null, null))) {
                AgentCommands.run(arguments, instrumentation);
            }
        } else {
            start(arguments, instrumentation, false);
        }
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation, boolean atStartUp) {
        AgentConfig config;
        try {
            config = AgentConfig.parse(arguments, System.getProperties());
        } catch (ConfigException bad) {
            System.err.println("socktrace: " + bad.getMessage() + "; socktrace is not running");
            return;
        }
        WovenClassCache cache = WovenClassCache.open(config.cacheDir());
        if (!cache.usable() && config.cacheChosen()) {
            System.err.println("socktrace: the woven-class cache " + config.cacheDir() + " cannot be used ("
                    + cache.state() + "); the socket classes are woven at start-up instead, which costs more CPU");
        }
        if (!inject(instrumentation, cache)) {
            return;
        }
        try {
            if (AgentRuntime.start(config, arguments, instrumentation, atStartUp, cache) == null) {
                System.err.println("socktrace: already recording in this JVM; options '" + arguments + "' ignored");
            }
        } catch (Throwable failure) {
            System.err.println("socktrace: could not start (" + failure + "); the application runs without it");
        }
    }

    /** Puts the bootstrap classes on the bootstrap search path; first, before anything can resolve them. */
    private static boolean inject(Instrumentation instrumentation, WovenClassCache cache) {
        try {
            BootstrapInjector.inject(instrumentation, AgentJar.path(), cache);
            return true;
        } catch (Throwable failure) {
            System.err.println("socktrace: could not start (" + failure + "); the application runs without it");
            return false;
        }
    }
}
