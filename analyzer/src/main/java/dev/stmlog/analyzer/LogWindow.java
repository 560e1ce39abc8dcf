package dev.stmlog.analyzer;

/**
 * The analysed window ({@link AnalysisOptions#fromNanos()} to {@link AnalysisOptions#toNanos()}
 * on the shared time line) in one log's own times: an event is in it when it happened at
 * {@code from} or after, and before {@code to}.
 *
 * @param from the window's start in the log's times
 * @param to   its end, not included ({@link Long#MAX_VALUE}: the end of the run)
 */
public record LogWindow(long from, long to) {

    /** {@code options}' window in the times of a log that starts {@code offset} ns into the shared time line. */
    public static LogWindow of(AnalysisOptions options, long offset) {
        return new LogWindow(options.fromNanos() - offset,
                options.toNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : options.toNanos() - offset);
    }

    /** Whether an event at {@code time}, in the log's times, is in the window. */
    public boolean contains(long time) {
        return time >= from && time < to;
    }
}
