package io.socktrace.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The advice for one JDK class: which class, and which advice goes on which of its methods. Every socket path
 * socktrace covers is one of these; {@link Installer} installs them all the same way.
 */
interface TypeInstrumentation {

    /** The binary name of the JDK class instrumented. */
    String typeName();

    /** Adds this class's advice to {@code transformer}. */
    AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer);
}
