package dev.stmlog.reports;

import java.util.Objects;

/**
 * One thread's figures.
 *
 * @param id   how the thread is named on the command line ({@code 17}, or {@code 2:17} for the
 *             second of several logs)
 * @param name the thread's name, or the empty string when the log does not name it
 */
public record ThreadRow(String id, String name, TransactionTotals transactions) {

    public ThreadRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transactions, "transactions");
    }
}
