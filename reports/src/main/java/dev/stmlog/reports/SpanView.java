package dev.stmlog.reports;

/**
 * One span of a thread's time line: a transaction attempt or a wait. Times are nanoseconds
 * from the (earliest) recording's start.
 *
 * @param outcome {@link #COMMITTED}, {@link #ABORTED}, {@link #INEVITABLE} or {@link #WAIT}
 */
public record SpanView(long startNanos, long endNanos, String outcome) {
    public static final String COMMITTED = "committed";
    public static final String ABORTED = "aborted";
    public static final String INEVITABLE = "inevitable";
    public static final String WAIT = "wait";

    public SpanView {
        if (endNanos < startNanos) endNanos = startNanos;
    }
}
