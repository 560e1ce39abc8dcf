package dev.stmlog.benchmarks.format;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * Decoding speed on one core: a log of {@value #RECORDS} start/commit records (4 threads,
 * transactions of 0.1 to 20 us) read from a file in the page cache, CRCs checked, each record
 * handed to a visitor that counts it. Scores are records per second; megabytes per second are
 * that times the bytes per record, which setup prints.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ReaderBenchmark {
    static final int RECORDS = 10_000_000;

    Path file;

    @Setup
    public void write() throws IOException {
        file = Files.createTempFile("reader-benchmark", ".stmlog");
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
        long starts;
        long commits;
        long time;

        @Override
        public void event(Event e) {}

        @Override
        public void txStart(long t, long thread) {
            starts++;
            time += t;
        }

        @Override
        public void txCommit(long t, long thread) {
            commits++;
            time += t;
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long decode() throws IOException {
        Counter c = new Counter();
        try (LogReader reader = LogReader.open(file)) {
            ReadResult r = reader.read(c);
            if (c.starts + c.commits != RECORDS || r.damage().isDamaged()) throw new IllegalStateException("bad read");
        }
        return c.time;
    }
}
