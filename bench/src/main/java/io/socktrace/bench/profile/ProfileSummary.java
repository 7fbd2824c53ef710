package io.socktrace.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a client run with the agent: of the execution samples of the client threads,
 * how many have {@code io.socktrace} frames, grouped by the agent's entry point (outermost agent frame), by the
 * agent method at work (innermost agent frame) and by the frame on top; and the same for allocation samples,
 * weighted by bytes, by allocated class. Execution samples see only threads running Java code, so the shares are
 * of the client's Java time, not of its time blocked in the kernel.
 *
 * <p>Usage: {@code ProfileSummary RECORDING.jfr THREAD_NAME_PREFIX}.
 */
public final class ProfileSummary {

    private static final String AGENT = "io.socktrace.agent.";
    private static final int TOP = 8;

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        String threadPrefix = args[1];
        Tally cpu = new Tally();
        Tally allocation = new Tally();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                boolean sample = type.equals("jdk.ExecutionSample");
                boolean allocated = type.equals("jdk.ObjectAllocationSample");
                if ((!sample && !allocated) || !fromThread(event, threadPrefix) || event.getStackTrace() == null) {
                    continue;
                }
                if (sample) {
                    cpu.add(event.getStackTrace(), 1, null);
                } else {
                    RecordedClass objectClass = event.getClass("objectClass");
                    allocation.add(event.getStackTrace(), event.getLong("weight"),
                            objectClass == null ? "?" : typeName(objectClass.getName()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "execution samples of the %s* threads: %,d; with io.socktrace frames: %s%n",
                threadPrefix, (long) cpu.total, percent(cpu.agent, cpu.total));
        cpu.print("by entry point (outermost io.socktrace frame)", cpu.byEntry);
        cpu.print("by agent method at work (innermost io.socktrace frame)", cpu.byInnermost);
        cpu.print("by top frame, in samples with io.socktrace frames", cpu.byTop);
        System.out.printf(Locale.ROOT, "allocation samples (weighted by bytes): %s of the %s* threads' allocation is"
                + " under io.socktrace frames%n", percent(allocation.agent, allocation.total), threadPrefix);
        allocation.print("by allocated class, under io.socktrace frames", allocation.byClass);
        allocation.print("by agent method allocating (innermost io.socktrace frame)", allocation.byInnermost);
    }

    private static boolean fromThread(RecordedEvent event, String prefix) {
        RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
        String name = thread == null ? null : thread.getJavaName();
        return name != null && name.startsWith(prefix);
    }

    /** Samples (or bytes) counted by where in the agent they fall. */
    private static final class Tally {

        double total;
        double agent;
        final Map<String, Double> byEntry = new HashMap<>();
        final Map<String, Double> byInnermost = new HashMap<>();
        final Map<String, Double> byTop = new HashMap<>();
        final Map<String, Double> byClass = new HashMap<>();

        void add(RecordedStackTrace stack, double weight, String allocatedClass) {
            total += weight;
            List<RecordedFrame> frames = stack.getFrames();
            String innermost = null;
            String outermost = null;
            for (RecordedFrame frame : frames) {
                if (frame.getMethod() == null) {
                    continue;
                }
                String type = frame.getMethod().getType().getName();
                if (type.startsWith(AGENT)) {
                    String name = shortName(type) + "." + frame.getMethod().getName();
                    if (innermost == null) {
                        innermost = name;
                    }
                    outermost = name;
                }
            }
            if (innermost == null) {
                return;
            }
            agent += weight;
            byEntry.merge(outermost, weight, Double::sum);
            byInnermost.merge(innermost, weight, Double::sum);
            if (!frames.isEmpty() && frames.get(0).getMethod() != null) {
                RecordedFrame top = frames.get(0);
                byTop.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), weight, Double::sum);
            }
            if (allocatedClass != null) {
                byClass.merge(allocatedClass, weight, Double::sum);
            }
        }

        void print(String title, Map<String, Double> counts) {
            System.out.println("  " + title + ", share of all:");
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(TOP)
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %6s  %s%n", percent(e.getValue(), total),
                            e.getKey()));
        }
    }

    private static String shortName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** {@code [Ljava.lang.String;} as {@code java.lang.String[]}. */
    private static String typeName(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return name;
        }
        String element = name.substring(dims);
        switch (element) {
            case "B": element = "byte"; break;
            case "C": element = "char"; break;
            case "I": element = "int"; break;
            case "J": element = "long"; break;
            case "Z": element = "boolean"; break;
            case "S": element = "short"; break;
            case "F": element = "float"; break;
            case "D": element = "double"; break;
            default: element = element.startsWith("L") ? element.substring(1, element.length() - 1) : element;
        }
        return element + "[]".repeat(dims);
    }

    private static String percent(double part, double whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * part / whole);
    }
}
