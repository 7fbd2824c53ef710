package io.socktrace.bench.micro;

import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.SocketEvents;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the advice adds to each read and write of a tracked connection: the calls the woven code makes
 * ({@code start()} on entry, {@code readEnd}/{@code writeEnd} on exit), with 1,000 other connections open so the
 * table lookup is not the only entry. The read timeout pair shows the cost of recording a timeout beyond the JDK's
 * own cost of creating the exception.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadWriteBenchmark {

    private final Object tracked = new Object();
    private final Object untracked = new Object();
    private final Object[] others = new Object[1000];
    private Recorder recorder;

    @Setup
    public void startRecording() {
        recorder = Recording.start(true);
        for (int i = 0; i < others.length; i++) {
            others[i] = new Object();
            Recording.connect(others[i], 20_000 + i);
        }
        Recording.connect(tracked, 40_000);
    }

    @TearDown
    public void stopRecording() {
        SocketEvents.stop(recorder);
    }

    @Benchmark
    public void readTracked() {
        long start = SocketEvents.start();
        SocketEvents.readEnd(tracked, start, 64, null, 0);
    }

    @Benchmark
    public void writeTracked() {
        long start = SocketEvents.start();
        SocketEvents.writeEnd(tracked, start, 64, null);
    }

    /** A socket the recorder does not know (opened before recording, or beyond maxConnections). */
    @Benchmark
    public void readUntracked() {
        long start = SocketEvents.start();
        SocketEvents.readEnd(untracked, start, 64, null, 0);
    }

    @Benchmark
    public void channelReadTracked() {
        SocketEvents.channelReadEnd(tracked, 64, null);
    }

    /** The JDK's own part of a read timeout: creating the exception (with its stack trace). */
    @Benchmark
    public SocketTimeoutException timeoutExceptionOnly() {
        return new SocketTimeoutException("Read timed out");
    }

    /** The same exception, recorded as a read timeout of the tracked connection. */
    @Benchmark
    public SocketTimeoutException timeoutRecorded() {
        long start = SocketEvents.start();
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        SocketEvents.readEnd(tracked, start, 0, timeout, 1);
        return timeout;
    }
}
