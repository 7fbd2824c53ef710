package io.socktrace.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on, read from {@code /proc} (the driver's own CPU affinity may be narrower). */
final class Machine {

    private Machine() {
    }

    static int cpus() {
        long count = cpuinfo().stream().filter(l -> l.startsWith("processor")).count();
        return count > 0 ? (int) count : Runtime.getRuntime().availableProcessors();
    }

    static String cpuModel() {
        return cpuinfo().stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    static String kernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
