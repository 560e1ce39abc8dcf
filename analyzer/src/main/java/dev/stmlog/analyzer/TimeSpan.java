package dev.stmlog.analyzer;

/** A stretch of the shared time line, in nanoseconds after the (earliest) recording's start; both ends included. */
public record TimeSpan(long fromNanos, long toNanos) {
    public TimeSpan {
        if (toNanos < fromNanos) throw new IllegalArgumentException("ends before it starts");
    }

    public long nanos() {
        return toNanos - fromNanos;
    }
}
