package io.socktrace.agent.report;

import io.socktrace.agent.bootstrap.ConnectionEvent;
import io.socktrace.agent.bootstrap.ConnectionListener;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Connection events as JDK Flight Recorder events ({@code socktrace.Connect}, {@code socktrace.ConnectFailed},
 * {@code socktrace.Close}, {@code socktrace.ReadTimeout}, {@code socktrace.EndOfStream}, {@code socktrace.Error}),
 * committed on the socket's own thread so that JFR records that thread's stack. The JDK's own recorder has
 * socket read and write events but none for connect or close.
 *
 * <p>Nothing of Flight Recorder is touched until it starts (at launch, by {@code jcmd JFR.start} or through its
 * API): the first use of an event class registers it, which sets up Flight Recorder's metadata, a tenth of a second
 * on a cold JVM that would land on the application's first connect. Until then {@link #wants} is one flag read.
 */
public final class JfrEvents implements ConnectionListener {

    private static volatile boolean flightRecorderStarted;
    private static boolean listening;

    /**
     * Whether this runtime has {@code jdk.jfr} (a jlinked runtime may not); if so, listens for Flight Recorder
     * starting, once per JVM.
     */
    public static synchronized boolean available() {
        if (!ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            return false;
        }
        if (!listening) {
            listening = true;
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    flightRecorderStarted = true;
                }
            });
        }
        return true;
    }

    /** Only while a recording has the event enabled; {@code isEnabled} on a fresh event is a flag check. */
    @Override
    public boolean wants(ConnectionEvent.Kind kind) {
        if (!flightRecorderStarted) {
            return false;
        }
        switch (kind) {
            case CONNECT:
            case ACCEPT:
                return new ConnectEvent().isEnabled();
            case CONNECT_FAILED:
                return new ConnectFailedEvent().isEnabled();
            case CLOSE:
                return new CloseEvent().isEnabled();
            case READ_TIMEOUT:
                return new ReadTimeoutEvent().isEnabled();
            case END_OF_STREAM:
                return new EndOfStreamEvent().isEnabled();
            case ERROR:
                return new ErrorEvent().isEnabled();
            default:
                return false;
        }
    }

    @Override
    public boolean onEvent(ConnectionEvent e) {
        switch (e.kind()) {
            case CONNECT:
            case ACCEPT:
                ConnectEvent connect = new ConnectEvent();
                if (connect.shouldCommit()) {
                    connect.fill(e);
                    connect.peer = e.peer();
                    connect.connectTime = e.durationMicros();
                    connect.commit();
                }
                break;
            case CONNECT_FAILED:
                ConnectFailedEvent failed = new ConnectFailedEvent();
                if (failed.shouldCommit()) {
                    failed.fill(e);
                    failed.reason = e.detail();
                    failed.commit();
                }
                break;
            case CLOSE:
                CloseEvent close = new CloseEvent();
                if (close.shouldCommit()) {
                    close.fill(e);
                    close.cause = e.detail();
                    close.requestInFlight = e.requestInFlight();
                    close.lifetime = e.durationMicros() < 0 ? Long.MIN_VALUE : e.durationMicros(); // N/A: unknown
                    close.commit();
                }
                break;
            case READ_TIMEOUT:
                ReadTimeoutEvent timeout = new ReadTimeoutEvent();
                if (timeout.shouldCommit()) {
                    timeout.fill(e);
                    timeout.soTimeout = e.timeoutMillis();
                    timeout.blocked = e.durationMicros();
                    timeout.requestInFlight = e.requestInFlight();
                    timeout.commit();
                }
                break;
            case END_OF_STREAM:
                EndOfStreamEvent eof = new EndOfStreamEvent();
                if (eof.shouldCommit()) {
                    eof.fill(e);
                    eof.commit();
                }
                break;
            case ERROR:
                ErrorEvent error = new ErrorEvent();
                if (error.shouldCommit()) {
                    error.fill(e);
                    error.message = e.detail();
                    error.commit();
                }
                break;
            default:
                break;
        }
        return true;
    }

    /** Fields every socktrace event has. */
    @Category({"socktrace", "Connections"})
    @StackTrace(true)
    abstract static class ConnectionJfrEvent extends Event {
        @Label("Endpoint")
        @Description("Remote address:port, or the listening address:port for accepted connections")
        String endpoint;
        @Label("Local Port")
        int localPort;
        @Label("Transport")
        String transport;
        @Label("Accepted")
        @Description("Accepted by this JVM (endpoint is then the listening address)")
        boolean accepted;

        void fill(ConnectionEvent e) {
            accepted = e.accepted();
            endpoint = e.endpoint();
            localPort = e.localPort();
            transport = e.transport();
        }
    }

    @Name("socktrace.Connect")
    @Label("Connection Opened")
    public static final class ConnectEvent extends ConnectionJfrEvent {
        @Label("Peer")
        String peer;
        @Label("Connect Time")
        @Timespan(Timespan.MICROSECONDS)
        long connectTime;
    }

    @Name("socktrace.ConnectFailed")
    @Label("Connect Failed")
    public static final class ConnectFailedEvent extends ConnectionJfrEvent {
        @Label("Reason")
        String reason;
    }

    @Name("socktrace.Close")
    @Label("Connection Closed")
    public static final class CloseEvent extends ConnectionJfrEvent {
        @Label("Cause")
        String cause;
        @Label("Request In Flight")
        boolean requestInFlight;
        @Label("Lifetime")
        @Timespan(Timespan.MICROSECONDS)
        long lifetime;
    }

    @Name("socktrace.ReadTimeout")
    @Label("Read Timed Out")
    public static final class ReadTimeoutEvent extends ConnectionJfrEvent {
        @Label("SO_TIMEOUT")
        @Timespan(Timespan.MILLISECONDS)
        long soTimeout;
        @Label("Blocked")
        @Timespan(Timespan.MICROSECONDS)
        long blocked;
        @Label("Request In Flight")
        boolean requestInFlight;
    }

    @Name("socktrace.EndOfStream")
    @Label("End Of Stream")
    public static final class EndOfStreamEvent extends ConnectionJfrEvent {
    }

    @Name("socktrace.Error")
    @Label("Connection Error")
    public static final class ErrorEvent extends ConnectionJfrEvent {
        @Label("Message")
        String message;
    }
}
