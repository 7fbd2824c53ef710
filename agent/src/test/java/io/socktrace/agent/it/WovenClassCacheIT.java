package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The woven-class cache ({@code cache=DIR}) on every JDK under test: the first JVM weaves and keeps the JDK's
 * socket classes (those it loads, and the rest in the background), a second takes them all from it and records
 * the same, and so for Netty's; a damaged cache, or a directory that is not the user's own, is not used and changes nothing else.
 * Read from the running JVM's {@code status}.
 */
class WovenClassCacheIT {

    /** The JDK classes socktrace weaves: every one is kept after one run. */
    private static final int JDK_CLASSES = 7;
    private static final Pattern CACHE_LINE = Pattern.compile(
            "\nwoven-class cache: (.*) \\((\\d+) of the (\\d+) instrumented classes came from it\\)\n");

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aSecondJvmTakesTheSocketClassesFromTheCache(Path javaHome, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");

        Matcher first = cacheLine(churn(javaHome, dir.resolve("first"), cache, true));
        assertTrue(first.group(1).startsWith(cache + "/"), first.group());
        // some of its classes may come from the cache already: those filled in before they loaded
        Path runtimeDir = Path.of(first.group(1));
        for (Path level : List.of(cache, runtimeDir.getParent(), runtimeDir)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(level)), level.toString());
        }
        assertEquals(JDK_CLASSES, entries(runtimeDir).size(), entries(runtimeDir).toString());
        assertTrue(Files.isRegularFile(runtimeDir.getParent().resolve("bootstrap.jar")));

        Matcher second = cacheLine(churn(javaHome, dir.resolve("second"), cache, false));
        assertEquals(runtimeDir.toString(), second.group(1));
        assertTrue(Integer.parseInt(second.group(3)) >= 1, second.group());
        assertEquals(second.group(3), second.group(2), "every class from the cache: " + second.group());
    }

    /**
     * Netty's native classes are kept too: a second JVM on the same Netty version never loads Byte Buddy's
     * {@code AgentBuilder} (from the JVM's class-load log) and still records its epoll connections.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void aSecondNettyJvmNeverBuildsByteBuddy(Path javaHome, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        churn(javaHome, dir.resolve("jdk"), cache, true); // the JDK's classes first, which a short run may not finish
        JsonNode first = nettyPingPong(javaHome, Files.createDirectory(dir.resolve("first")), cache);
        assertEquals("[\"Netty epoll\"]", epollClient(first).get("transports").toString(), "epoll, not NIO");
        long nettyEntries;
        try (Stream<Path> files = Files.walk(cache)) {
            nettyEntries = files.filter(f -> f.getFileName().toString().startsWith("io.netty.")).count();
        }
        assertTrue(nettyEntries >= 2, "Netty's woven classes are kept: " + nettyEntries);

        Path second = Files.createDirectory(dir.resolve("second"));
        JsonNode report = nettyPingPong(javaHome, second, cache);
        assertEquals("[\"Netty epoll\"]", epollClient(report).get("transports").toString());
        assertTrue(epollClient(report).get("opened").asLong() >= 1, epollClient(report).toPrettyString());
        assertEquals(0, report.get("agent").get("errors").asLong(), report.get("agent").toString());
        List<String> loaded = Files.readAllLines(second.resolve("classes.txt"));
        assertTrue(loaded.size() > 100, "the class-load log was written");
        // a few of Byte Buddy's interfaces load with the agent's own classes; building its transformer loads 1,000
        assertTrue(loaded.stream().noneMatch(l -> l.contains("net.bytebuddy.agent.builder.AgentBuilder$Default ")),
                "Byte Buddy was built although every class came from the cache");
        assertTrue(loaded.stream().filter(l -> l.contains(".shaded.net.bytebuddy.")).count() < 20,
                "Byte Buddy classes loaded: " + loaded.stream().filter(l -> l.contains("bytebuddy")).count());
    }

    private static JsonNode nettyPingPong(Path javaHome, Path dir, Path cache) throws Exception {
        AgentRun run = AgentRun.on(javaHome, dir).options("cache=" + cache)
                .jvmArg("-Xlog:class+load=info:file=" + dir.resolve("classes.txt"))
                .command("-cp", AgentRun.testClassPath("netty-4.1"), "io.socktrace.scenario.netty.EpollPingPong", "0",
                        "1");
        return run.runForJson();
    }

    /** The ping-pong's client endpoint: the one made by this JVM. */
    private static JsonNode epollClient(JsonNode report) {
        for (JsonNode endpoint : report.get("endpoints")) {
            if (!endpoint.get("accepted").asBoolean()) {
                return endpoint;
            }
        }
        throw new AssertionError("no client endpoint: " + report.toPrettyString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aDamagedCacheIsNotUsedAndChangesNothingElse(Path javaHome, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path runtimeDir = Path.of(cacheLine(churn(javaHome, dir.resolve("first"), cache, true)).group(1));
        for (Path entry : entries(runtimeDir)) {
            byte[] bytes = Files.readAllBytes(entry);
            bytes[bytes.length - 20] ^= 0x5a; // in the woven class: its checksum no longer matches
            Files.write(entry, bytes);
        }

        Matcher damaged = cacheLine(churn(javaHome, dir.resolve("second"), cache, false));
        assertEquals("0", damaged.group(2), "nothing taken from a damaged entry: " + damaged.group());
        assertTrue(Integer.parseInt(damaged.group(3)) >= 1, damaged.group());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aDirectoryOthersCanWriteIsNotUsed(Path javaHome, @TempDir Path dir) throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        Path runDir = dir.resolve("run");
        String status = churn(javaHome, runDir, cache, false);
        assertTrue(status.contains("\ninstrumented classes: "), status);
        assertTrue(status.contains("\nwoven-class cache: not used: java.io.IOException: " + cache
                + " is not this user's own directory"), status);
        List<String> said = Files.readAllLines(runDir.resolve("stderr.txt")).stream()
                .filter(line -> line.startsWith("socktrace: the woven-class cache")).toList();
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).endsWith("; the socket classes are woven at start-up instead, which costs more CPU"),
                said.get(0));
        try (Stream<Path> inside = Files.list(cache)) {
            assertEquals(0, inside.count(), "nothing written into it");
        }
    }

    /**
     * Runs {@code Churner} with the agent and {@code cache}, and returns its {@code status} once its connections
     * are recorded; with {@code awaitFilled}, first waits (bounded) until the cache holds every JDK class.
     */
    private static String churn(Path javaHome, Path dir, Path cache, boolean awaitFilled) throws Exception {
        Files.createDirectories(dir);
        Path stop = dir.resolve("stop");
        AgentRun target = AgentRun.on(javaHome, dir).json().options("cache=" + cache)
                .jvmArg("-XX:+EnableDynamicAgentLoading")
                .mainClass("io.socktrace.scenario.Churner", stop.toString()).start();
        try {
            AttachIT.awaitConnections(target, 3);
            String pid = Long.toString(target.process().pid());
            if (awaitFilled) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (filled(cache) < JDK_CLASSES) {
                    assertTrue(System.nanoTime() < deadline, "the cache was not filled: " + filled(cache));
                    Thread.sleep(50);
                }
            }
            JsonNode report = AttachIT.report(javaHome, pid);
            String endpoint = "127.0.0.1:" + target.printed("port");
            assertTrue(ReportJson.endpoint(report, endpoint, false).get("opened").asLong() >= 3);
            assertEquals(0, report.get("agent").get("errors").asLong(), report.toString());
            AttachIT.Cli status = AttachIT.cli(javaHome, "status", pid);
            assertEquals(0, status.exit(), status.err());
            return status.out();
        } finally {
            Files.writeString(stop, "");
            target.waitFor();
        }
    }

    private static Matcher cacheLine(String status) {
        Matcher line = CACHE_LINE.matcher(status);
        assertTrue(line.find(), status);
        return line;
    }

    /**
     * How many woven classes the cache holds, in any runtime's directory; 0 when an entry was renamed into place
     * while the directory was being walked (the caller looks again).
     */
    private static long filled(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(file -> file.toString().endsWith(".woven")).count();
        } catch (java.io.UncheckedIOException renamedMeanwhile) {
            return 0;
        }
    }

    private static List<Path> entries(Path runtimeDir) throws Exception {
        try (Stream<Path> files = Files.list(runtimeDir)) {
            return files.filter(file -> file.toString().endsWith(".woven")).sorted().toList();
        }
    }
}
