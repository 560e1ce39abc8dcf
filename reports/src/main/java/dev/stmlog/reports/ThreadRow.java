package dev.stmlog.reports;

import java.util.Objects;

/**
 * One thread's figures. Times are nanoseconds.
 *
 * @param id   how the thread is named on the command line ({@code 17}, or {@code 2:17} for the
 *             second of several logs)
 * @param name the thread's name, or the empty string when the log does not name it
 */
public record ThreadRow(String id, String name, long committed, long aborted, long committedNanos,
                        long abortedNanos, long pausedNanos) {

    public ThreadRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    public long totalNanos() {
        return committedNanos + abortedNanos + pausedNanos;
    }
}
