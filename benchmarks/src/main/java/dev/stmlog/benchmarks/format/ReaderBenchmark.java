package dev.stmlog.benchmarks.format;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decoding speed: a log of {@value #RECORDS} records read from a file in the page cache, CRCs
 * checked, each event handed to a visitor that counts it, on one core ({@link #decode}) and with
 * the reader's default decoder threads ({@link #decodeInParallel}). The log ({@code kind}) is
 * start/commit records (4 threads, transactions of 0.1 to 20 us), or {@link AnalyzerLogGenerator}'s
 * mixed log. Scores are records per second; megabytes per second are that times the bytes per
 * record, which setup prints. {@code benchmarks/analyzer-throughput.sh} times the whole of
 * {@code stmlog top}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ReaderBenchmark {
    static final int RECORDS = 10_000_000;

    @Param({"commits", "mixed"})
    String kind;

    Path file;
    long events;

    @Setup
    public void write() throws IOException {
        file = Files.createTempFile("reader-benchmark", ".stmlog");
        if (kind.equals("mixed")) {
            // a few more than RECORDS (it ends a burst): well within the score's noise
            events = AnalyzerLogGenerator.generate(file, RECORDS, 4, AnalyzerLogGenerator.Kind.MIXED, 1);
            System.out.printf("%nlog: %d events, %d bytes, %.2f bytes per event%n", events, Files.size(file),
                    (double) Files.size(file) / events);
            return;
        }
        events = RECORDS;
        Metadata m = Metadata.ofThisJvm(4, Map.of());
        LogWriter log = LogWriter.open(file, m, WriterOptions.defaults().withCloseOnShutdown(false));
        Random r = new Random(1);
        ThreadWriter[] threads = new ThreadWriter[4];
        long[] now = new long[4];
        for (int i = 0; i < 4; i++) {
            threads[i] = log.forThread(i + 1);
            now[i] = m.originNanoTime();
        }
        for (int i = 0; i < RECORDS / 2; i++) {
            int k = r.nextInt(4);
            threads[k].txStart(now[k] += 50 + r.nextInt(500));
            threads[k].txCommit(now[k] += 100 + r.nextInt(20_000));
        }
        log.close();
        long size = Files.size(file);
        System.out.printf("%nlog: %d records, %d bytes, %.2f bytes per record%n", RECORDS, size, (double) size / RECORDS);
    }

    @TearDown
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Counts without allocating: the primitive visitor methods. */
    static final class Counter implements EventVisitor {
        long events;
        long time;

        @Override
        public void event(Event e) {
            events++;
            time += e.time();
        }

        @Override
        public void txStart(long t, long thread) {
            events++;
            time += t;
        }

        @Override
        public void txCommit(long t, long thread) {
            events++;
            time += t;
        }

        @Override
        public void txCommits(long t, long thread, long count, long busyNanos) {
            events++;
            time += t;
        }

        @Override
        public void txAbort(long t, long thread, AbortCause cause) {
            events++;
            time += t;
        }

        @Override
        public void waitBegin(long t, long thread, WaitKind kind) {
            events++;
            time += t;
        }

        @Override
        public void waitEnd(long t, long thread, WaitKind kind) {
            events++;
            time += t;
        }

        @Override
        public void contention(long t, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                               Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                               ValueChange otherChange, long otherNanos) {
            events++;
            time += t;
        }

        @Override
        public void mark(long t, long thread, String name, long value) {
            events++;
            time += t;
        }
    }

    /** On the calling thread alone. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long decode() throws IOException {
        return read(0);
    }

    /** With {@link LogReader#defaultDecoders()} decoder threads. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long decodeInParallel() throws IOException {
        return read(LogReader.defaultDecoders());
    }

    private long read(int decoders) throws IOException {
        Counter c = new Counter();
        try (LogReader reader = LogReader.open(file)) {
            ReadResult r = reader.read(c, decoders);
            if (c.events != events || r.damage().isDamaged()) throw new IllegalStateException("bad read");
        }
        return c.time;
    }
}
