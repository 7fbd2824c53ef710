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

    /** The id of an event whose stack was not captured, by sampling (see {@code StackSampler}). */
    public static final int NOT_SAMPLED = -1;

    /** Frames of the agent itself; only the top of the stack can hold them, and they are cut off. */
    private static final String AGENT_PACKAGE = "io.socktrace.agent.";

    /** Frames a capture usually walks: the agent's own, the JDK's socket code and the caller's nearest frames. */
    private static final int USUAL_DEPTH = 16;

    /**
     * Reflection frames are shown because filtering them costs a check on every frame walked (a fifth of a walk on
     * JDK 17), and they are real frames of the caller's stack. Hidden frames (lambda proxies, method handle forms)
     * are walked only to learn where a call did not come from the caller's bytecode (see {@link FrameCollector})
     * and are not kept. The estimate sizes the first batch so that a usual stack is fetched in one go without
     * allocating frame buffers for the deepest ones.
     */
    private static final StackWalker WALKER = StackWalker.getInstance(
            java.util.Set.of(StackWalker.Option.SHOW_REFLECT_FRAMES, StackWalker.Option.SHOW_HIDDEN_FRAMES),
            USUAL_DEPTH);

    private final ConcurrentHashMap<FrameKey, StackTrace> stacks = new ConcurrentHashMap<>();
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
        StackTrace stack = WALKER.walk(collector);
        if (stack == null) {
            dropped.increment();
            return NO_STACK;
        }
        stack.count.increment();
        return stack.id;
    }

    /**
     * The interned stack for frames already walked, creating it (with method names, files and lines, which are
     * costly to resolve) only the first time; {@code null} when the table is full.
     */
    private StackTrace intern(FrameKey key, StackFrame[] frames, boolean truncated) {
        StackTrace stack = stacks.get(key);
        if (stack != null) {
            return stack;
        }
        if (stacks.size() >= capacity) {
            return null;
        }
        return create(key, frames, truncated);
    }

    /** Rare (at most {@code capacity} times): checked and added under one lock, so racing threads never overshoot. */
    private synchronized StackTrace create(FrameKey key, StackFrame[] frames, boolean truncated) {
        StackTrace stack = stacks.get(key);
        if (stack != null) {
            return stack;
        }
        if (stacks.size() >= capacity) {
            return null;
        }
        int n = key.classes.length;
        String[] methods = new String[n];
        String[] files = new String[n];
        int[] lines = new int[n];
        for (int i = 0; i < n; i++) {
            methods[i] = frames[i].getMethodName();
            files[i] = frames[i].getFileName();
            lines[i] = frames[i].getLineNumber();
        }
        StackTrace created = new StackTrace(lastId.incrementAndGet(), key.classes, methods, files, lines, truncated);
        stacks.put(key, created);
        byId.put(created.id, created);
        return created;
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

    /**
     * Walks the live frames and interns the stack. A frame is told apart by its class and bytecode index, which
     * the walker has at hand: when a frame was called by the bytecode of the frame below it, that call site names
     * the method and the frame's class resolves it, so the method needs no look-up. Where the call came from
     * elsewhere, the method is looked up (its name, and its line to tell overloads apart) and made part of the key:
     * the outermost frame (called by the VM), a frame called from native code (reflection on JDK 17, JNI) and a
     * frame called through hidden frames (lambdas run by one executor, method handles, reflection on JDK 18+).
     * Hidden frames are recognised by the {@code /} in their class name, which no other class name has, and are
     * not kept. A class rather than a lambda so that it needs no bootstrap methods.
     */
    private final class FrameCollector implements Function<Stream<StackFrame>, StackTrace> {

        private final int maxDepth;

        FrameCollector(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        @Override
        public StackTrace apply(Stream<StackFrame> stream) {
            Iterator<StackFrame> it = stream.iterator();
            StackFrame frame = null;
            while (it.hasNext()) {
                frame = it.next();
                if (!frame.getClassName().startsWith(AGENT_PACKAGE)) {
                    break;
                }
                frame = null;
            }
            int size = Math.min(maxDepth, USUAL_DEPTH); // grown as needed: most stacks are far shorter than maxDepth
            StackFrame[] frames = new StackFrame[size];
            String[] classes = new String[size];
            int[] bcis = new int[size];
            String[] methods = null; // only for frames whose caller does not fix the method
            int n = 0;
            boolean truncated = false;
            while (frame != null) {
                String className = frame.getClassName();
                boolean hidden = className.indexOf('/') >= 0;
                if (hidden || frame.isNativeMethod()) { // the kept frame below was not called by bytecode
                    methods = method(methods, size, n - 1, frames, true);
                }
                if (hidden) {
                    frame = it.hasNext() ? it.next() : null;
                    continue;
                }
                if (n == maxDepth) {
                    truncated = true;
                    break;
                }
                if (n == frames.length) {
                    size = Math.min(maxDepth, 2 * size);
                    frames = Arrays.copyOf(frames, size);
                    classes = Arrays.copyOf(classes, size);
                    bcis = Arrays.copyOf(bcis, size);
                    methods = methods == null ? null : Arrays.copyOf(methods, size);
                }
                frames[n] = frame;
                classes[n] = className;
                bcis[n] = frame.getByteCodeIndex();
                n++;
                frame = it.hasNext() ? it.next() : null;
            }
            if (n > 0 && !truncated) {
                methods = method(methods, size, n - 1, frames, false); // called by the VM
            }
            FrameKey key = new FrameKey(n == size ? classes : Arrays.copyOf(classes, n),
                    n == size ? bcis : Arrays.copyOf(bcis, n),
                    methods == null ? null : n == size ? methods : Arrays.copyOf(methods, n));
            return intern(key, frames, truncated);
        }

        /**
         * Puts frame {@code i}'s method into {@code methods}, created on first use: its name, and with {@code line}
         * its line, which tells overloads apart. Not its descriptor: on JDK 25 that resolves a {@code MethodType},
         * which may load classes.
         */
        private String[] method(String[] methods, int size, int i, StackFrame[] frames, boolean line) {
            if (i < 0 || methods != null && methods[i] != null) {
                return methods;
            }
            String[] into = methods == null ? new String[size] : methods;
            into[i] = line ? frames[i].getMethodName() + ':' + frames[i].getLineNumber() : frames[i].getMethodName();
            return into;
        }
    }

    /**
     * What tells stacks apart: class and bytecode index of each frame, and the method of each frame whose caller
     * does not fix it ({@code null} elsewhere).
     */
    private static final class FrameKey {

        final String[] classes;
        final int[] bcis;
        final String[] methods;
        final int hash;

        FrameKey(String[] classes, int[] bcis, String[] methods) {
            this.classes = classes;
            this.bcis = bcis;
            this.methods = methods;
            this.hash = (31 * Arrays.hashCode(classes) + Arrays.hashCode(bcis)) * 31 + Arrays.hashCode(methods);
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof FrameKey)) {
                return false;
            }
            FrameKey that = (FrameKey) other;
            return hash == that.hash && Arrays.equals(bcis, that.bcis) && Arrays.equals(classes, that.classes)
                    && Arrays.equals(methods, that.methods);
        }

        @Override
        public int hashCode() {
            return hash;
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
        final LongAdder count = new LongAdder();

        StackTrace(int id, String[] classes, String[] methods, String[] files, int[] lines,
                           boolean truncated) {
            this.id = id;
            this.classes = classes;
            this.methods = methods;
            this.files = files;
            this.lines = lines;
            this.truncated = truncated;
        }

        /** Builds a stack from frames already known, for tests and for reading stacks back. */
        public static StackTrace of(int id, String[] classes, String[] methods, String[] files, int[] lines) {
            return new StackTrace(id, classes, methods, files, lines, false);
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

    }
}
