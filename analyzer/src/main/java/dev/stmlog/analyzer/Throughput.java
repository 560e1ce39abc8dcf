package dev.stmlog.analyzer;

import java.util.Locale;

/**
 * What a run's throughput counts, and over which part of the run: decided from a first analysis
 * of the whole log; the part is then analysed on its own ({@link #options()}), so that the time
 * in transactions shown beside the throughput is that of the same part.
 *
 * <p>Not the log's wall time: it runs from the recording's start, so it holds whatever the
 * program does before it measures. The samples' {@code --warmup} in stm mode is recorded (the
 * STM is in use), in serial mode it is not (the first mark starts the recording): primes
 * {@code --tuned}, 1 thread, {@code --warmup 2 --duration 4} had 5.98 s of wall time in stm mode
 * and 3.96 s in serial mode, so marks over wall time said 285 ops/s and 0.65x serial where the
 * runs measured 426 and 430 ops/s (0.99x).
 *
 * @param basis     what is counted, and over what
 * @param fromNanos the measured part's start, on the shared time line
 * @param toNanos   its end, included
 */
public record Throughput(Basis basis, long fromNanos, long toNanos) {
    /** The mark a program makes where its measured window starts (its value is ignored). */
    public static final String WINDOW_START = "window.start";
    /** The mark a program makes where its measured window ends, after its last counted operation. */
    public static final String WINDOW_END = "window.end";

    public enum Basis {
        /**
         * The marks inside the window the program declared with {@link #WINDOW_START} and
         * {@link #WINDOW_END}, over the time between those two: what a program that counts its
         * operations in that window and times it computes itself.
         */
        WINDOW,
        /**
         * No window declared, but marks at two times at least: N marks are N - 1 completions
         * after the first, over the time from the first to the last. Close to the program's own
         * figure when it marks only what it measures and completes operations one at a time; off
         * by a batch where they complete in batches (primes marks up to 16 responses at once).
         * Counted marks (MARKS records, one per thread and tick) are placed at their record's
         * time, so the span is known to a tick (10 ms) at each end: declare the window with
         * timed marks where that matters.
         */
        MARKS,
        /** No marks: committed transactions over the log's wall time. */
        COMMITS;

        /** The name printed in the scaling table's {@code from} column and in {@code scale.csv}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Throughput {
        if (toNanos < fromNanos) throw new IllegalArgumentException("ends before it starts");
    }

    /** What the whole log's analysis says to count. */
    public static Throughput of(Analysis whole) {
        TimeSpan window = whole.declaredWindow();
        if (window != null && window.nanos() > 0 && whole.marks() > 0) {
            return new Throughput(Basis.WINDOW, window.fromNanos(), window.toNanos());
        }
        TimeSpan marks = whole.markSpan();
        if (marks != null && marks.nanos() > 0) return new Throughput(Basis.MARKS, marks.fromNanos(), marks.toNanos());
        return new Throughput(Basis.COMMITS, 0, whole.endNanos());
    }

    /** Whether the measured part is less than the whole log, to be analysed with {@link #options()}. */
    public boolean partial() {
        return basis != Basis.COMMITS;
    }

    /** Options that analyse the measured part only, both ends included. */
    public AnalysisOptions options() {
        return new AnalysisOptions(Grouping.SITE, 1, fromNanos, toNanos + 1, null);
    }

    /** The measured time. */
    public long nanos() {
        return toNanos - fromNanos;
    }

    /** The operations counted, from the analysis of the measured part (of the whole log for {@code COMMITS}). */
    public long operations(Analysis measured) {
        return switch (basis) {
            case WINDOW -> measured.marks();
            case MARKS -> Math.max(0, measured.marks() - 1);
            case COMMITS -> measured.summary().transactions().committed();
        };
    }
}
