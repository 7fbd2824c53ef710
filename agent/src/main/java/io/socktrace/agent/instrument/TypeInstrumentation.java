package io.socktrace.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The advice for one class: which class, and which advice goes on which of its methods. Every socket path
 * socktrace covers is one of these (a JDK class, or a {@link LibraryInstrumentation}); {@link Installer} installs
 * them all the same way.
 */
interface TypeInstrumentation {

    /** The binary name of the class instrumented (for a library class, its name before any relocation). */
    String typeName();

    /** Whether this is a library class, matched in any class loader under any package prefix. */
    default boolean relocatable() {
        return false;
    }

    /** Adds this class's advice to {@code transformer}. */
    AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer);
}
