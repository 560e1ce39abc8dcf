package dev.stmlog.reports;

import java.util.List;

/**
 * The totals of an analysis. Times are nanoseconds.
 *
 * @param sources      what was read
 * @param wallNanos    the run's wall time (or the selected window's)
 * @param window       the analysed part of the run
 * @param threadCount  threads that ran transactions or waited
 * @param transactions all threads' transactions; their time is the threads' time in transactions
 * @param gcNanos      garbage-collection pauses
 * @param anomalies    what the analysis could not count as it should
 * @param damage       what could not be read
 */
public record SummaryView(Sources sources, long wallNanos, Window window, int threadCount,
                          TransactionTotals transactions, long gcNanos, Anomalies anomalies, DamageView damage,
                          List<ThreadRow> threads) implements View {

    public SummaryView {
        threads = List.copyOf(threads);
    }

    /**
     * @param files  the logs read
     * @param events events read from them
     */
    public record Sources(List<String> files, long events) {
        public Sources {
            files = List.copyOf(files);
        }
    }

    /**
     * @param fromNanos start of the analysed window, from the recording's start
     * @param toNanos   end of the analysed window
     * @param chosen    true when the window was chosen (--from, --to), not the whole run
     */
    public record Window(long fromNanos, long toNanos, boolean chosen) {}

    /**
     * @param unfinished attempts still open at the end of their log (counted nowhere)
     * @param unexpected unexpected event sequences that were resynchronised
     */
    public record Anomalies(long unfinished, long unexpected) {
        public static final Anomalies NONE = new Anomalies(0, 0);
    }

    /** Committed transactions per second of wall time; 0 when the wall time is 0. */
    public double committedPerSecond() {
        return wallNanos <= 0 ? 0 : transactions.committed() * 1e9 / wallNanos;
    }
}
