package dev.stmlog.reports;

import java.util.Objects;

/**
 * One run of a scaling experiment.
 *
 * @param file      the log it comes from
 * @param mode      {@code stm}, {@code serial}, ... (from the log's metadata)
 * @param threads   worker threads
 * @param baseline  the serial baseline run
 * @param marks     user marks recorded (completed operations); 0 when the program records none
 */
public record ScaleRun(String file, String mode, int threads, boolean baseline, long wallNanos, long marks,
                       long committed, long aborted, long committedNanos, long abortedNanos, long pausedNanos) {
    public ScaleRun {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
    }

    /** Operations per second: user marks when there are any, else committed transactions. */
    public double throughput() {
        if (wallNanos <= 0) return 0;
        return (marks > 0 ? marks : committed) * 1e9 / wallNanos;
    }

    /** What {@link #throughput()} counts: {@code marks} or {@code commits}. */
    public String unit() {
        return marks > 0 ? "marks" : "commits";
    }
}
