package dev.stmlog.analyzer;

import java.util.Objects;

/**
 * What to analyse and how to group it.
 *
 * @param depth      frames that make a site (at least 1)
 * @param fromNanos  start of the window, nanoseconds after the recording's start
 * @param toNanos    end of the window ({@link Long#MAX_VALUE} for the end of the run)
 * @param thread     only this thread (an id, {@code FILE:ID} with FILE counted from 1, or a
 *                   name), or null for all
 * @param estimateUntimed in logs recorded with {@code STM_LOG_TIMING=exact}, charge the aborted
 *                   attempts that the default timing leaves untimed as it would (their
 *                   re-run's time) rather than their exact time: the estimate and the truth
 *                   from one run, to measure the estimate ({@code benchmarks/diagnosis.sh})
 */
public record AnalysisOptions(Grouping by, int depth, long fromNanos, long toNanos, String thread,
                              boolean estimateUntimed) {

    public AnalysisOptions(Grouping by, int depth, long fromNanos, long toNanos, String thread) {
        this(by, depth, fromNanos, toNanos, thread, false);
    }

    public AnalysisOptions {
        Objects.requireNonNull(by, "by");
        if (depth < 1) throw new IllegalArgumentException("depth must be at least 1");
        if (fromNanos < 0 || toNanos <= fromNanos) throw new IllegalArgumentException("empty window");
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(Grouping.SITE, 1, 0, Long.MAX_VALUE, null);
    }

    public boolean windowed() {
        return fromNanos > 0 || toNanos != Long.MAX_VALUE;
    }
}
