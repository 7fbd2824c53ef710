package io.socktrace.agent.bootstrap;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listeners of one recording (the event trace, Flight Recorder) and the events they could not take. Events
 * are built only when some listener wants their kind, and delivered on the thread where they happened.
 */
final class EventBus {

    private volatile ConnectionListener[] listeners = new ConnectionListener[0];
    private final LongAdder dropped = new LongAdder();

    synchronized void add(ConnectionListener listener) {
        ConnectionListener[] more = Arrays.copyOf(listeners, listeners.length + 1);
        more[more.length - 1] = listener;
        listeners = more;
    }

    List<ConnectionListener> listeners() {
        return List.of(listeners);
    }

    boolean wants(ConnectionEvent.Kind kind) {
        for (ConnectionListener listener : listeners) {
            if (listener.wants(kind)) {
                return true;
            }
        }
        return false;
    }

    void publish(ConnectionEvent event) {
        for (ConnectionListener listener : listeners) {
            try {
                if (listener.wants(event.kind()) && !listener.onEvent(event)) {
                    dropped.increment();
                }
            } catch (Throwable error) {
                AgentHealth.failed("event listener", error);
            }
        }
    }

    /** Events a listener could not take (a full buffer). */
    long dropped() {
        return dropped.sum();
    }
}
