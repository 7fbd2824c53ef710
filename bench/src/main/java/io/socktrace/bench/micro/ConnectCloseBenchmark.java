package io.socktrace.bench.micro;

import io.socktrace.agent.bootstrap.Recorder;
import io.socktrace.agent.bootstrap.SocketEvents;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the advice adds to one whole connection: the bookkeeping of a connect and its close (two stack captures,
 * the table, the endpoint aggregate, the listener events), with and without the JFR listener that {@code jfr=on}
 * (the default) adds. The stacks are those of this benchmark (about 10 frames under JMH), shallower than a real
 * application's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectCloseBenchmark {

    @Param({"on", "off"})
    public String jfr;

    private Recorder recorder;
    private int port = 32_768;

    @Setup
    public void startRecording() {
        recorder = Recording.start(jfr.equals("on"));
    }

    @TearDown
    public void stopRecording() {
        SocketEvents.stop(recorder);
    }

    @Benchmark
    public void connectAndClose() {
        Object socket = new Object();
        port = port == 60_999 ? 32_768 : port + 1;
        Recording.connect(socket, port);
        SocketEvents.close(socket);
    }
}
