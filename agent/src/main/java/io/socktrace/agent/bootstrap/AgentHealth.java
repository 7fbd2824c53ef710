package io.socktrace.agent.bootstrap;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failures inside the agent, on any of its paths (the advice on application threads, the trace writer, the
 * start-up builder, reports, JMX), and JDK internals it could not reach: caught where they happen, counted here by
 * place, shown in the report and {@code status}, and never thrown into the application. One per JVM (the
 * bootstrap classes are loaded once); cleared when a recording session starts.
 */
public final class AgentHealth {

    /** Distinct places counted; failures elsewhere count under {@code "other"}. Places are a fixed, small set. */
    private static final int MAX_PLACES = 32;

    private static final ConcurrentHashMap<String, LongAdder> FAILURES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final LongAdder TOTAL = new LongAdder();
    private static volatile String last;

    private AgentHealth() {
    }

    /** Counts a failure at {@code place} (e.g. {@code "trace writer"}); never throws. */
    public static void failed(String place, Throwable error) {
        try {
            TOTAL.increment();
            last = place + ": " + error;
            String key = FAILURES.containsKey(place) || FAILURES.size() < MAX_PLACES ? place : "other";
            LongAdder count = FAILURES.get(key);
            if (count == null) {
                LongAdder fresh = new LongAdder();
                count = FAILURES.putIfAbsent(key, fresh);
                count = count == null ? fresh : count;
            }
            count.increment();
        } catch (Throwable ignored) {
            // counting must never fail the caller
        }
    }

    /**
     * A JDK internal the agent cannot reach (a field, a method handle): said once on standard error and kept, so
     * that what it costs (what goes unrecorded) is in every report rather than silently disabled.
     */
    public static void unavailable(String what, String consequence, Throwable why) {
        if (UNAVAILABLE.size() < MAX_PLACES && UNAVAILABLE.putIfAbsent(what, consequence + " (" + why + ")") == null) {
            System.err.println("socktrace: cannot reach " + what + " (" + why + "); " + consequence);
        }
    }

    public static long failures() {
        return TOTAL.sum();
    }

    /** The last failure, {@code "place: exception"}, or {@code null}. */
    public static String lastFailure() {
        return last;
    }

    /** Failures by place, sorted by name. */
    public static Map<String, Long> failuresByPlace() {
        Map<String, Long> copy = new TreeMap<>();
        for (Map.Entry<String, LongAdder> entry : FAILURES.entrySet()) {
            copy.put(entry.getKey(), entry.getValue().sum());
        }
        return copy;
    }

    /** JDK internals that could not be reached, with what that costs. */
    public static Map<String, String> unavailable() {
        return new TreeMap<>(UNAVAILABLE);
    }

    /** Starts counting afresh, for a new session in this JVM. */
    public static void clear() {
        FAILURES.clear();
        UNAVAILABLE.clear();
        TOTAL.reset();
        last = null;
    }

    /**
     * Runs {@code body} as the whole of an agent thread: whatever it throws is counted at {@code place}, and the
     * application's uncaught-exception handler never sees it.
     */
    public static Thread thread(String name, String place, Runnable body) {
        Contained contained = new Contained(place, body);
        Thread thread = new Thread(contained, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(contained);
        return thread;
    }

    /** An agent thread's body and its last resort; a class rather than lambdas, so no bootstrap methods run. */
    private static final class Contained implements Runnable, Thread.UncaughtExceptionHandler {

        private final String place;
        private final Runnable body;

        Contained(String place, Runnable body) {
            this.place = place;
            this.body = body;
        }

        @Override
        public void run() {
            try {
                body.run();
            } catch (Throwable error) {
                failed(place, error);
            }
        }

        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            failed(place, error);
        }
    }
}
