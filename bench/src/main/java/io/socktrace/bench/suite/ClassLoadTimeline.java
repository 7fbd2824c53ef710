package io.socktrace.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where start-up time goes, read from {@code -Xlog:class+load:file=F:uptime}: JVM uptime when each class was loaded,
 * grouped (Byte Buddy, the agent, JMX, logging, JFR, the rest of the JDK), and when the program's main class was.
 * Execution sampling cannot show this (JFR starts sampling too late to see {@code premain}); the class loading
 * timeline shows which phase of the agent's start takes how long, and what it leaves to run after {@code main}
 * has started (work moved to a background thread still costs CPU then).
 */
final class ClassLoadTimeline {

    private static final Pattern LINE = Pattern.compile("\\[([0-9.]+)s\\] (\\S+) source: .*");
    private static final String AGENT_MAIN = "io.socktrace.agent.SocktraceAgent";

    /** One group of classes: how many were loaded before main, and the first and last load time. */
    private static final class Group {
        int count;
        double first = Double.NaN;
        double last;

        void add(double seconds) {
            count++;
            if (Double.isNaN(first)) {
                first = seconds;
            }
            last = seconds;
        }
    }

    private ClassLoadTimeline() {
    }

    /** The {@code -Xlog} option that writes the log this class reads. */
    static String option(Path log) {
        return "-Xlog:class+load:file=" + log + ":uptime";
    }

    /** Classes loaded before {@code mainClass}, from a log of a run without the agent. */
    static int classesBeforeMain(Path log, String mainClass) throws IOException {
        int count = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                if (m.group(2).equals(mainClass)) {
                    return count;
                }
                count++;
            }
        }
        return count;
    }

    /** The summary of a log of a run with the agent (the whole run: the probe exits right after main starts). */
    static String summary(Path log, String mainClass, int classesWithoutAgent) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (String name : List.of("Byte Buddy (relocated into the agent)", "io.socktrace (the agent's own)",
                "JMX and java.lang.management", "java.util.logging", "jdk.jfr", "other JDK classes")) {
            groups.put(name, new Group());
        }
        double premain = Double.NaN;
        double main = Double.NaN;
        int beforeMain = 0;
        int total = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            double seconds = Double.parseDouble(m.group(1));
            String name = m.group(2);
            if (name.equals(mainClass)) {
                main = seconds;
                beforeMain = total;
            }
            if (name.equals(AGENT_MAIN)) {
                premain = seconds;
            }
            total++;
            groups.get(group(name)).add(seconds);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "classes loaded before main: %,d without the agent, %,d with it (%,d in the whole run); with it,"
                        + " premain starts at %.3f s and main at %.3f s of JVM uptime%n", classesWithoutAgent,
                beforeMain, total, premain, main));
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            if (g.count > 0) {
                out.append(String.format(Locale.ROOT, "  %-40s %,6d classes, loaded %.3f .. %.3f s%n", e.getKey(),
                        g.count, g.first, g.last));
            }
        }
        return out.toString();
    }

    private static String group(String name) {
        if (name.contains(".shaded.net.bytebuddy.")) {
            return "Byte Buddy (relocated into the agent)";
        }
        if (name.startsWith("io.socktrace.")) {
            return "io.socktrace (the agent's own)";
        }
        if (name.startsWith("javax.management.") || name.startsWith("com.sun.jmx.")
                || name.startsWith("java.lang.management.") || name.startsWith("com.sun.management.")
                || name.startsWith("sun.management.")) {
            return "JMX and java.lang.management";
        }
        if (name.startsWith("java.util.logging.") || name.startsWith("sun.util.logging.")) {
            return "java.util.logging";
        }
        if (name.startsWith("jdk.jfr.")) {
            return "jdk.jfr";
        }
        return "other JDK classes";
    }
}
