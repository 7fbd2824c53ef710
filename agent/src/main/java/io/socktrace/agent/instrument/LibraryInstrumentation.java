package io.socktrace.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The advice for one class of a library (Netty's native transport), which unlike the JDK's lives in application
 * class loaders, in any number of copies, under any package prefix: {@link #typeName()} is the original name, and
 * a class named {@code anything.} + that name is the same class relocated ({@code io.grpc.netty.shaded.io.netty...}).
 * A version whose class lacks any method advised here is left untouched as a whole, said and counted: recording
 * half of a connection's life would be worse than none.
 */
abstract class LibraryInstrumentation implements TypeInstrumentation {

    /** Advice for the methods matched, with a description for the one line said when none match. */
    static final class Advised {
        final String method;
        final ElementMatcher<? super MethodDescription> matcher;
        final Class<?> advice;

        Advised(String method, ElementMatcher<? super MethodDescription> matcher, Class<?> advice) {
            this.method = method;
            this.matcher = matcher;
            this.advice = advice;
        }
    }

    private final String typeName;

    /** @param typeName the class's binary name before any relocation */
    LibraryInstrumentation(String typeName) {
        this.typeName = typeName;
    }

    @Override
    public final String typeName() {
        return typeName;
    }

    abstract List<Advised> advised();

    @Override
    public final boolean relocatable() {
        return true;
    }

    @Override
    public final AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice transformer) {
        for (Advised advised : advised()) {
            transformer = transformer.advice(advised.matcher, advised.advice.getName());
        }
        return transformer;
    }

    /** The advised methods that {@code type} does not declare: empty if this version matches. */
    final List<String> missing(TypeDescription type) {
        List<String> missing = new ArrayList<>();
        for (Advised advised : advised()) {
            if (type.getDeclaredMethods().filter(advised.matcher).isEmpty()) {
                missing.add(advised.method);
            }
        }
        return missing;
    }

    /** Whether {@code name} is one of {@code originals} or a relocated copy of one (both binary or internal form). */
    static boolean isCopyOfAny(String name, List<String> originals) {
        for (String original : originals) {
            if (isCopyOf(name, original)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} (binary or internal form) is {@code original} or a relocated copy of it. */
    static boolean isCopyOf(String name, String original) {
        return name.endsWith(original)
                && (name.length() == original.length() || isSeparator(name.charAt(name.length() - original.length() - 1)));
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '/';
    }
}
