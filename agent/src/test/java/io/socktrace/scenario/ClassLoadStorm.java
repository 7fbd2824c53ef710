package io.socktrace.scenario;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Socket traffic while other threads load thousands of JDK classes at the same time, to show that instrumentation
 * and class loading never deadlock or recurse: {@link MixedLoad} on the main thread, and class loading of every
 * class in a few JDK modules on two more threads. Arguments as for {@link MixedLoad}.
 */
public final class ClassLoadStorm {

    public static void main(String[] args) throws Exception {
        List<String> names = classNames("java.desktop", "java.sql", "java.xml", "java.management", "jdk.httpserver");
        int[] loaded = new int[2];
        Thread[] loaders = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int part = t;
            loaders[t] = new Thread(() -> {
                for (int i = part; i < names.size(); i += 2) {
                    try {
                        Class.forName(names.get(i), false, ClassLoadStorm.class.getClassLoader());
                        loaded[part]++;
                    } catch (Throwable notLoadable) {
                        // loading (not initialising: concurrent initialisation of some JDK classes deadlocks on its own)
                    }
                }
            }, "class-loader-" + t);
            loaders[t].setDaemon(true);
            loaders[t].start();
        }
        MixedLoad.main(args);
        for (Thread loader : loaders) {
            loader.join(120_000);
        }
        System.out.println("classesLoaded=" + (loaded[0] + loaded[1]));
    }

    private static List<String> classNames(String... modules) throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> paths = Stream.of(modules).map(m -> jrt.getPath("modules", m))
                .filter(Files::exists).flatMap(ClassLoadStorm::walk)) {
            return paths.map(Path::toString).filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class"))
                    .map(p -> p.substring(p.indexOf('/', "/modules/".length()) + 1, p.length() - ".class".length())
                            .replace('/', '.'))
                    .collect(Collectors.toList());
        }
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root).collect(Collectors.toList()).stream();
        } catch (java.io.IOException e) {
            return Stream.empty();
        }
    }
}
