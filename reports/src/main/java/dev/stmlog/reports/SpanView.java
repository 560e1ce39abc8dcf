package dev.stmlog.reports;

import java.util.Locale;

/**
 * One span of a thread's time line: a transaction attempt or a wait. Times are nanoseconds
 * from the (earliest) recording's start.
 */
public record SpanView(long startNanos, long endNanos, Outcome outcome) {

    /** How the span ended. */
    public enum Outcome {
        COMMITTED, ABORTED, INEVITABLE, WAIT;

        /** As tables write it: {@code committed}, {@code aborted}, {@code inevitable}, {@code wait}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SpanView {
        if (endNanos < startNanos) endNanos = startNanos;
    }
}
