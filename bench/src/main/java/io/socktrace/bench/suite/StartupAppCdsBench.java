package io.socktrace.bench.suite;

import io.socktrace.bench.probe.ClassPathApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Information row 4b, whole process: what the agent's appending to the bootstrap class path costs an application
 * that starts from an AppCDS archive. The JVM then shares only boot loader classes ("Sharing is only supported for
 * boot loader classes because bootstrap classpath has been appended"), so the application's classes are parsed and
 * verified again. The application is {@link ClassPathApp} loading the bench jar's Netty (not its channels) and
 * Commons classes (about 2,200); its dynamic archive is made once, without the agent ({@code -XX:ArchiveClassesAtExit}). Measured: the
 * archive without the agent, the archive with the agent, and no archive without the agent (what AppCDS saves here).
 * Wall time, launch to exit; alternated rounds after one unmeasured round. Not pinned.
 */
final class StartupAppCdsBench {

    static final String ID = "startup-appcds";

    private final Launcher launcher;
    private final Plan plan;
    private final Progress progress;

    StartupAppCdsBench(Launcher launcher, Plan plan, Progress progress) {
        this.launcher = launcher;
        this.plan = plan;
        this.progress = progress;
    }

    void run(JdkReport report) throws InterruptedException {
        String label = "4b. " + ID + ": an application of class-path classes started from an AppCDS archive, launch"
                + " to exit, wall (ms)";
        try {
            Path classes = classList();
            Path archive = launcher.workDir().resolve("class-path-app.jsa");
            Files.deleteIfExists(archive);
            String loaded = once(List.of("-XX:ArchiveClassesAtExit=" + archive), classes, null);
            if (!Files.isRegularFile(archive)) {
                throw new IOException("the JVM made no archive at " + archive);
            }
            List<String> shared = List.of("-XX:SharedArchiveFile=" + archive);
            Samples base = new Samples();
            Samples agent = new Samples();
            Samples unshared = new Samples();
            for (int round = 0; round <= plan.pairs(); round++) {
                progress.say(ID + " round " + round + "/" + plan.pairs() + (round == 0 ? " (unmeasured)" : ""));
                double[] walls = {timed(shared, classes, null), timed(shared, classes, Variant.SOCKTRACE),
                        timed(List.of(), classes, null)};
                if (round > 0) {
                    base.add(walls[0]);
                    agent.add(walls[1]);
                    unshared.add(walls[2]);
                }
            }
            report.budgetRow(label, Format.spread(base, 0), Format.spread(agent, 0),
                    String.format("%+.0f ms (without the archive: %s, %+.0f ms)", agent.median() - base.median(),
                            Format.spread(unshared, 0), unshared.median() - base.median()), null, Double.NaN);
            report.sections.add("4b. " + ID + ": " + loaded.strip() + "; the archive made without the agent, at "
                    + Files.size(archive) / 1024 + " KB");
        } catch (IOException e) {
            report.failed("4b. " + ID, e);
        }
    }

    /**
     * The class-path classes the application loads: those of two large libraries inside the bench jar, but not
     * Netty's channels, whose native transports the agent instruments (loading them builds Byte Buddy's transformer,
     * a cost of its own, not the one measured here).
     */
    private Path classList() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(launcher.benchJar().toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.contains("-") && !name.startsWith("io/netty/channel/")
                        && (name.startsWith("io/netty/") || name.startsWith("org/apache/commons/"))) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        Path list = launcher.workDir().resolve("class-path-app-classes.txt");
        Files.write(list, names, StandardCharsets.UTF_8);
        return list;
    }

    private double timed(List<String> cds, Path classes, Variant variant) throws IOException, InterruptedException {
        long start = System.nanoTime();
        once(cds, classes, variant);
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * One run; returns the application's own line (its standard output also has the JVM's CDS warnings when it makes
     * the archive: a thousand lines on classes CDS skips, as old class files).
     */
    private String once(List<String> cds, Path classes, Variant variant) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(cds);
        Launcher.RunFiles files = variant == null ? null : launcher.variantOptions(variant);
        if (files != null) {
            options.addAll(files.options());
        }
        List<String> command = launcher.java(false, options, ClassPathApp.class.getName(), classes);
        try (ChildProcess app = ChildProcess.start(command, launcher.stderrFile(ID))) {
            int exit = app.waitFor(120_000);
            String done = app.output().lines().filter(line -> line.startsWith(ClassPathApp.DONE)).findFirst()
                    .orElse(null);
            if (exit != 0 || done == null) {
                throw app.failure("class-path application failed");
            }
            if (files != null) {
                Launcher.agentErrors(files.report());
                files.delete();
            }
            return done;
        }
    }
}
