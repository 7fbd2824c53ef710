package io.socktrace.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One JDK the suite runs on: its {@code java}, feature version, and the runtime line of {@code java -version}. */
record Jdk(Path home, int feature, String runtime) {

    static Jdk at(Path home) throws IOException, InterruptedException {
        Path java = home.resolve("bin/java");
        if (!Files.isExecutable(java)) {
            throw new IOException("no JDK at " + home + " (no executable bin/java)");
        }
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(java + " -version did not finish");
        }
        List<String> lines = output.lines().filter(l -> !l.startsWith("Picked up")).toList();
        String first = lines.isEmpty() ? "" : lines.get(0);
        String runtime = lines.size() > 1 ? lines.get(1).trim() : first;
        return new Jdk(home, feature(first), runtime);
    }

    Path java() {
        return home.resolve("bin/java");
    }

    /** {@code openjdk version "17.0.19" 2026-04-21} gives 17. */
    private static int feature(String versionLine) {
        int quote = versionLine.indexOf('"');
        if (quote < 0) {
            return 0;
        }
        String version = versionLine.substring(quote + 1);
        StringBuilder digits = new StringBuilder();
        for (char c : version.toCharArray()) {
            if (!Character.isDigit(c)) {
                break;
            }
            digits.append(c);
        }
        return digits.length() == 0 ? 0 : Integer.parseInt(digits.toString());
    }

    @Override
    public String toString() {
        return "JDK " + feature + " (" + runtime + ", " + home + ")";
    }
}
