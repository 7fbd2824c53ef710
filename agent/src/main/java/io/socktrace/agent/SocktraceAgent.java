package io.socktrace.agent;

import io.socktrace.agent.config.AgentConfig;
import io.socktrace.agent.config.ConfigException;
import io.socktrace.agent.control.AgentRuntime;
import io.socktrace.agent.instrument.BootstrapInjector;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Entry point for {@code -javaagent} ({@link #premain}) and for loading into a running JVM ({@link #agentmain}).
 * Parses the options, makes the recording classes visible to the JDK, and starts recording. Whatever goes
 * wrong is said in one line on standard error and the application carries on without the agent.
 */
public final class SocktraceAgent {

    private SocktraceAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation) {
        AgentConfig config;
        try {
            config = AgentConfig.parse(arguments);
        } catch (ConfigException bad) {
            System.err.println("socktrace: " + bad.getMessage() + "; socktrace is not running");
            return;
        }
        try {
            // first: nothing may resolve a bootstrap class before they are on the bootstrap search path
            BootstrapInjector.inject(instrumentation, agentJar());
            if (!AgentRuntime.start(config, instrumentation)) {
                System.err.println("socktrace: already recording in this JVM; options '" + arguments + "' ignored");
            }
        } catch (Throwable failure) {
            System.err.println("socktrace: could not start (" + failure + "); the application runs without it");
        }
    }

    private static Path agentJar() throws Exception {
        return Path.of(SocktraceAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
