package dev.stmlog.reports;

/**
 * Transactions counted and timed, for all threads, one thread or one run. Times are
 * nanoseconds; {@code committedNanos + abortedNanos + pausedNanos} is the time in transactions.
 *
 * @param committed      transactions committed
 * @param aborted        attempts aborted
 * @param committedNanos time in attempts that committed, less their waits
 * @param abortedNanos   time lost in attempts that aborted, less their waits
 * @param pausedNanos    time waiting, inside attempts and between them
 */
public record TransactionTotals(long committed, long aborted, long committedNanos, long abortedNanos,
                                long pausedNanos) {

    public long totalNanos() {
        return committedNanos + abortedNanos + pausedNanos;
    }
}
