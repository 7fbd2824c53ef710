package io.socktrace.bench.micro;

import io.socktrace.agent.bootstrap.StackTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One stack capture and interning (an already-known stack, the common case), {@code depth} frames below the
 * benchmark method on top of JMH's own (about 10), so the cost per frame can be read off; and the same through a
 * lambda, whose hidden frame makes the capture look up the lambda's method (name and line) to keep it apart from
 * other lambdas at the same bytecode index.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StackCaptureBenchmark {

    @Param({"0", "30"})
    public int depth;

    private final StackTable stacks = new StackTable(Recording.DEFAULTS.maxStacks(), Recording.DEFAULTS.stackDepth());

    private final java.util.function.IntSupplier throughLambda = () -> below(depth);

    @Benchmark
    public int capture() {
        return below(depth);
    }

    @Benchmark
    public int captureThroughLambda() {
        return throughLambda.getAsInt();
    }

    private int below(int frames) {
        return frames == 0 ? stacks.capture() : below(frames - 1);
    }
}
