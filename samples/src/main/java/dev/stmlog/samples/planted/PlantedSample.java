package dev.stmlog.samples.planted;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Options;
import dev.stmlog.samples.Result;
import dev.stmlog.samples.Sample;
import dev.stmlog.samples.UsageException;
import dev.stmlog.samples.Workers;

import java.io.PrintStream;
import java.util.List;

/**
 * <b>planted</b>: conflicts with a known right answer, to check the profiler rather than the
 * program. Run it with {@code STM_LOG} set and {@code stmlog top} should name, for each planted
 * conflict, <em>both</em> of its lines: the victim's read and the other side's write.
 *
 * <p>Each operation is one transaction that reads a shared Ref, computes for about 20 µs (on the
 * CPU, not asleep) and writes the Ref back. Two threads doing that to the same Ref conflict: the
 * one that commits second finds its read stale ({@code WRITE_READ}) and re-runs. Pair A runs
 * twice as often as pair B, so A's site must rank first, B's second. One operation in a hundred
 * reads both in an inevitable transaction; writers that meet it wait ({@code INEVITABLE} rows,
 * whose other side is the {@code Stm.inevitable()} line).
 *
 * <p>The {@code // planted: ...} comments mark those lines for tests and for
 * {@code benchmarks/diagnosis.sh}, which find them by text: keep each on the line it marks.
 */
public final class PlantedSample implements Sample {

    /** The work between the read and the write: long enough for the other thread to commit. */
    static final long WORK_NANOS = 20_000;

    @Override
    public String name() {
        return "planted";
    }

    @Override
    public String summary() {
        return "read, 20 us of work, write: conflicts planted on known lines (A twice as often as B)";
    }

    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public Result run(Options o, PrintStream out) throws Exception {
        if (o.mode() != Mode.STM) throw new UsageException("planted runs in stm mode only (its conflicts are the point)");
        Ref<Long> a = new Ref<>(0L, "planted A"), b = new Ref<>(0L, "planted B");
        // Workers marks each operation ("op", outside the transaction) for the throughput.
        Workers.Run run = Workers.run(o.threads(), o.warmup(), o.duration(), o.seed(), (t, random) -> {
            int pick = random.nextInt(300);
            if (pick < 3) {
                Stm.atomic(() -> {
                    Stm.inevitable();                        // planted: inevitable
                    return a.get() + b.get();                // irrevocable from here on, like a log line
                });
            } else if (pick < 200) {
                Stm.atomic(() -> {
                    long v = a.get();                        // planted: read A
                    work();
                    a.set(v + 1);                            // planted: write A
                });
            } else {
                Stm.atomic(() -> {
                    long v = b.get();                        // planted: read B
                    work();
                    b.set(v + 1);                            // planted: write B
                });
            }
        });
        out.println("planted: commits A=" + a.get() + " B=" + b.get());
        return new Result(name(), o.mode(), o.threads(), run.ops(), run.seconds());
    }

    /** About {@link #WORK_NANOS} of CPU time: a busy loop, as a computation would keep its core. */
    static void work() {
        long end = System.nanoTime() + WORK_NANOS;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
