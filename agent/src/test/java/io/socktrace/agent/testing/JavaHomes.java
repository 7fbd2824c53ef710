package io.socktrace.agent.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JDKs end-to-end tests run on: the one running the build, plus every home in the system property
 * {@code socktrace.test.javaHomes} (set from {@code SOCKTRACE_TEST_JAVA_HOMES}, a path list). A listed home
 * that has no {@code bin/java} fails the run rather than being skipped, so CI cannot silently test less.
 */
public final class JavaHomes {

    private JavaHomes() {
    }

    public static List<Path> all() {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(canonical(Path.of(System.getProperty("java.home"))));
        String extra = System.getProperty("socktrace.test.javaHomes", "");
        if (extra.isBlank() || extra.startsWith("${")) {
            extra = System.getenv().getOrDefault("SOCKTRACE_TEST_JAVA_HOMES", "");
        }
        for (String home : extra.split(File.pathSeparator)) {
            if (!home.isBlank()) {
                Path path = Path.of(home.trim());
                if (!Files.isExecutable(path.resolve("bin/java"))) {
                    throw new IllegalStateException("SOCKTRACE_TEST_JAVA_HOMES lists " + home + ", which has no bin/java");
                }
                homes.add(canonical(path));
            }
        }
        return new ArrayList<>(homes);
    }

    private static Path canonical(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
