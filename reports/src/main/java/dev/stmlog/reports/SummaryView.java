package dev.stmlog.reports;

import java.util.List;

/**
 * The totals of an analysis. Times are nanoseconds; {@code committedNanos + abortedNanos +
 * pausedNanos} is the threads' time in transactions.
 *
 * @param files            the logs read
 * @param events           events read from them
 * @param wallNanos        the run's wall time (or the selected window's)
 * @param threadCount      threads that ran transactions or waited
 * @param gcNanos          garbage-collection pauses
 * @param unfinished       attempts still open at the end of their log (counted nowhere)
 * @param unexpected       unexpected event sequences that were resynchronised
 * @param windowFromNanos  start of the analysed window, from the recording's start
 * @param windowToNanos    end of the analysed window
 * @param windowed         true when the window was chosen (--from, --to), not the whole run
 */
public record SummaryView(List<String> files, long events, long wallNanos, int threadCount,
                          long committed, long aborted, long committedNanos, long abortedNanos,
                          long pausedNanos, long gcNanos, long unfinished, long unexpected,
                          long windowFromNanos, long windowToNanos, boolean windowed,
                          DamageView damage, List<ThreadRow> threads) {

    public SummaryView {
        files = List.copyOf(files);
        threads = List.copyOf(threads);
    }

    public long transactionNanos() {
        return committedNanos + abortedNanos + pausedNanos;
    }

    /** Committed transactions per second of wall time; 0 when the wall time is 0. */
    public double committedPerSecond() {
        return wallNanos <= 0 ? 0 : committed * 1e9 / wallNanos;
    }
}
