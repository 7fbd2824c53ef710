package io.socktrace.scenario;

import java.nio.file.Path;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a Flight Recorder file with {@code jdk.jfr.consumer} (run on the same JDK that wrote it) and prints, per
 * socktrace event type, the count, and for each event the fields and the methods in its stack trace.
 */
public final class JfrSummary {

    public static void main(String[] args) throws Exception {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String name = event.getEventType().getName();
            if (!name.startsWith("socktrace.")) {
                continue;
            }
            counts.merge(name, 1, Integer::sum);
            StringBuilder line = new StringBuilder("event=").append(name)
                    .append(" endpoint=").append(event.getString("endpoint"))
                    .append(" accepted=").append(event.getBoolean("accepted"));
            if (event.hasField("cause")) {
                line.append(" cause=").append(event.getString("cause"));
            }
            if (event.hasField("soTimeout")) {
                line.append(" soTimeoutMillis=").append(event.getDuration("soTimeout").toMillis());
            }
            line.append(" stack=");
            if (event.getStackTrace() != null) {
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    line.append(frame.getMethod().getType().getName()).append('.').append(frame.getMethod().getName())
                            .append(',');
                }
            }
            System.out.println(line);
        }
        counts.forEach((name, count) -> System.out.println("count." + name + "=" + count));
    }
}
