package dev.stmlog.format.event;

/**
 * {@code count} transactions of this thread that started and committed with nothing else
 * recorded in between, the last of them ending at {@code time}; together they spent
 * {@code busyNanos} inside transactions. A recorder writes this instead of a start and a commit
 * per transaction when transactions are too short to time one by one (see FORMAT.md).
 */
public record TxCommits(long time, long thread, long count, long busyNanos) implements Event {
    public TxCommits {
        if (count < 1) throw new IllegalArgumentException("count " + count + " < 1");
        if (busyNanos < 0) throw new IllegalArgumentException("busyNanos " + busyNanos + " < 0");
    }
}
