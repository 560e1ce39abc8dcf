package dev.stmlog.reports;

import java.util.Objects;

/**
 * One run of a scaling experiment. Its throughput is {@code operations} over
 * {@code measuredNanos}; the times in transactions are those of the same measured part.
 *
 * @param file          the log it comes from
 * @param mode          {@code stm}, {@code serial}, ... (from the log's metadata)
 * @param threads       worker threads
 * @param baseline      the serial baseline run
 * @param from          what the throughput counts: {@code window} (user marks inside the window the
 *                      program declared), {@code marks} (user marks after the first, up to the last)
 *                      or {@code commits} (committed transactions over the wall time)
 * @param operations    what it counts
 * @param measuredNanos over how long
 * @param wallNanos     the whole log's wall time
 * @param marks         user marks in the measured part; 0 when the program records none
 * @param transactions  those of the measured part
 */
public record ScaleRun(String file, String mode, int threads, boolean baseline, String from, long operations,
                       long measuredNanos, long wallNanos, long marks, TransactionTotals transactions) {
    public ScaleRun {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(transactions, "transactions");
    }

    /** Operations per second. */
    public double throughput() {
        return measuredNanos <= 0 ? 0 : operations * 1e9 / measuredNanos;
    }
}
