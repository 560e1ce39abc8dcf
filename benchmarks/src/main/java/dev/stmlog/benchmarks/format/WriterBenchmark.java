package dev.stmlog.benchmarks.format;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Metadata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What recording a transaction's start and commit costs the thread that runs it.
 *
 * <p>{@code baseline} does everything {@code startCommit} does except write: it advances the
 * same synthetic clock and consumes it. The writer's cost per event is
 * {@code (startCommit - baseline) / 2}... both are reported per event already, thanks to
 * {@code @OperationsPerInvocation(2)}, so it is simply the difference. The flusher writes real
 * chunks with CRCs, to /dev/null so that the disk is not what is measured. Run with
 * {@code -t 1} and {@code -t 2} to see whether threads get in each other's way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WriterBenchmark {

    @State(Scope.Benchmark)
    public static class Log {
        LogWriter writer;

        @Setup(Level.Trial)
        public void open() throws IOException {
            FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
            Metadata m = Metadata.ofThisJvm(0, Map.of("benchmark", "writer"));
            writer = LogWriter.open(devNull, "/dev/null", m,
                    WriterOptions.defaults().withMaxBytes(Long.MAX_VALUE).withCloseOnShutdown(false));
        }

        @TearDown(Level.Trial)
        public void close() {
            writer.close();
            if (writer.summary().eventsLost() > 0) {
                throw new IllegalStateException("the benchmark lost events: " + writer.summary());
            }
        }
    }

    @State(Scope.Thread)
    public static class Clock {
        ThreadWriter thread;
        long now;

        @Setup(Level.Trial)
        public void setUp(Log log) {
            thread = log.writer.forCurrentThread();
            now = System.nanoTime();
        }
    }

    /** Short transactions: 40-80 ns apart, as in a busy STM; deltas fit one byte. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void startCommit(Clock c) {
        long t = c.now;
        c.thread.txStart(t + 40);
        c.thread.txCommit(t + 80);
        c.now = t + 80;
    }

    /** Transactions of a few microseconds: two-byte deltas. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void startCommitMicroseconds(Clock c) {
        long t = c.now;
        c.thread.txStart(t + 1_000);
        c.thread.txCommit(t + 5_000);
        c.now = t + 5_000;
    }

    /** The same work without the writer. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void baseline(Clock c, Blackhole bh) {
        long t = c.now;
        bh.consume(t + 40);
        bh.consume(t + 80);
        c.now = t + 80;
    }
}
