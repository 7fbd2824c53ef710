package io.socktrace.agent.bootstrap;

import java.lang.StackWalker.StackFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the calling thread's stack and interns it: each distinct stack is stored once, with a count, and
 * events refer to it by a small integer id. At most {@code capacity} distinct stacks are kept; beyond that,
 * captures return {@link #NO_STACK} and are counted as dropped.
 */
public final class StackTable {

    public static final int NO_STACK = 0;

    /** Frames of the agent itself; only the top of the stack can hold them, and they are cut off. */
    private static final String AGENT_PACKAGE = "io.socktrace.agent.";

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final ConcurrentHashMap<StackTrace, StackTrace> stacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, StackTrace> byId = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final int capacity;
    private final Function<Stream<StackFrame>, StackTrace> collector;

    public StackTable(int capacity, int maxDepth) {
        this.capacity = capacity;
        this.collector = new FrameCollector(maxDepth);
    }

    /** Captures the current stack, without the agent's frames, and returns its id. */
    public int capture() {
        StackTrace key = WALKER.walk(collector);
        StackTrace stack = stacks.get(key);
        if (stack == null) {
            if (stacks.size() >= capacity) {
                dropped.increment();
                return NO_STACK;
            }
            // putIfAbsent rather than computeIfAbsent: no lambda (and no bootstrap method) on the socket path;
            // a lost race only leaves a gap in the ids
            StackTrace created = key.withId(lastId.incrementAndGet());
            StackTrace prior = stacks.putIfAbsent(created, created);
            if (prior == null) {
                byId.put(created.id, created);
            }
            stack = prior != null ? prior : created;
        }
        stack.count.increment();
        return stack.id;
    }

    /** The stack with this id, or {@code null} (for {@link #NO_STACK} or an id not from this table). */
    public StackTrace stack(int id) {
        return byId.get(id);
    }

    /** The stored stacks, in the order they were first seen. */
    public List<StackTrace> stacks() {
        List<StackTrace> all = new ArrayList<>(stacks.values());
        all.sort(java.util.Comparator.comparingInt(StackTrace::id));
        return all;
    }

    /** Captures not stored because the table was full. */
    public long dropped() {
        return dropped.sum();
    }

    public int capacity() {
        return capacity;
    }

    /** Builds the stack key from live frames; a class rather than a lambda so that it needs no bootstrap methods. */
    private static final class FrameCollector implements Function<Stream<StackFrame>, StackTrace> {

        private final int maxDepth;

        FrameCollector(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        @Override
        public StackTrace apply(Stream<StackFrame> frames) {
            Iterator<StackFrame> it = frames.iterator();
            StackFrame frame = null;
            while (it.hasNext()) {
                frame = it.next();
                if (!frame.getClassName().startsWith(AGENT_PACKAGE)) {
                    break;
                }
                frame = null;
            }
            String[] classes = new String[maxDepth];
            String[] methods = new String[maxDepth];
            String[] files = new String[maxDepth];
            int[] lines = new int[maxDepth];
            int n = 0;
            boolean truncated = false;
            while (frame != null) {
                if (n == maxDepth) {
                    truncated = true;
                    break;
                }
                classes[n] = frame.getClassName();
                methods[n] = frame.getMethodName();
                files[n] = frame.getFileName();
                lines[n] = frame.getLineNumber();
                n++;
                frame = it.hasNext() ? it.next() : null;
            }
            return new StackTrace(Arrays.copyOf(classes, n), Arrays.copyOf(methods, n), Arrays.copyOf(files, n),
                    Arrays.copyOf(lines, n), truncated);
        }
    }

    /** One distinct stack: frames from the innermost (the JDK socket method) outwards. */
    public static final class StackTrace {

        private final int id;
        private final String[] classes;
        private final String[] methods;
        private final String[] files;
        private final int[] lines;
        private final boolean truncated;
        private final int hash;
        final LongAdder count = new LongAdder();

        StackTrace(String[] classes, String[] methods, String[] files, int[] lines, boolean truncated) {
            this(NO_STACK, classes, methods, files, lines, truncated);
        }

        private StackTrace(int id, String[] classes, String[] methods, String[] files, int[] lines,
                           boolean truncated) {
            this.id = id;
            this.classes = classes;
            this.methods = methods;
            this.files = files;
            this.lines = lines;
            this.truncated = truncated;
            this.hash = 31 * (31 * Arrays.hashCode(classes) + Arrays.hashCode(methods)) + Arrays.hashCode(lines);
        }

        /** Builds a stack from frames already known, for tests and for reading stacks back. */
        public static StackTrace of(int id, String[] classes, String[] methods, String[] files, int[] lines) {
            return new StackTrace(id, classes, methods, files, lines, false);
        }

        StackTrace withId(int newId) {
            return new StackTrace(newId, classes, methods, files, lines, truncated);
        }

        public int id() {
            return id;
        }

        public int depth() {
            return classes.length;
        }

        public String className(int frame) {
            return classes[frame];
        }

        public String methodName(int frame) {
            return methods[frame];
        }

        /** Source file name, or {@code null} if the class has none recorded. */
        public String fileName(int frame) {
            return files[frame];
        }

        /** Line number, or a negative number if unknown. */
        public int lineNumber(int frame) {
            return lines[frame];
        }

        /** Whether frames beyond the configured depth were cut off. */
        public boolean truncated() {
            return truncated;
        }

        /** How many events captured this stack. */
        public long count() {
            return count.sum();
        }

        /** The frame in {@link StackTraceElement} form: {@code pkg.Class.method(File.java:88)}. */
        public String frame(int frame) {
            String file = files[frame];
            int line = lines[frame];
            String where = file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
            return classes[frame] + "." + methods[frame] + "(" + where + ")";
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof StackTrace)) {
                return false;
            }
            StackTrace that = (StackTrace) other;
            return hash == that.hash && Arrays.equals(lines, that.lines) && Arrays.equals(methods, that.methods)
                    && Arrays.equals(classes, that.classes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
