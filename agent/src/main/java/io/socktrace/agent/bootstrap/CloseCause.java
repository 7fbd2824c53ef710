package io.socktrace.agent.bootstrap;

/** What happened on a connection last before it was closed: the reason the closing code most likely had. */
public enum CloseCause {
    /** A read timed out ({@code SO_TIMEOUT}) and no data arrived after it. */
    READ_TIMEOUT("after a read timeout"),
    /** A read returned end of stream: the peer had closed its side. */
    END_OF_STREAM("after end of stream (peer closed first)"),
    /** The peer reset the connection, or a write hit a broken pipe. */
    RESET("after a connection reset"),
    /** Another I/O error on a read or write. */
    IO_ERROR("after an I/O error"),
    /** Nothing went wrong on the connection: the application or a pool decided to close it. */
    NO_ERROR("with no error on it"),
    /** The socket was garbage collected without being closed (a leak). */
    COLLECTED("never closed, garbage collected");

    private final String description;

    CloseCause(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The cause an error event's words point to ({@link #RESET} or {@link #IO_ERROR}), decided as for the record. */
    public static CloseCause ofError(String description) {
        return FailureClassifier.ioFailure(description);
    }

    /** Whether this JVM's own code decided to close (as opposed to the peer or the garbage collector). */
    public boolean closedByThisJvm() {
        return this != END_OF_STREAM && this != RESET && this != COLLECTED;
    }
}
