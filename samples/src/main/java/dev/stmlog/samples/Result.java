package dev.stmlog.samples;

import java.util.Locale;

/**
 * The outcome of a run, printed as the last line of every run:
 * {@code RESULT sample=<name> mode=<mode> threads=<n> ops=<n> seconds=<s> ops_per_s=<x>}.
 * {@code ops} is exactly the number of {@code op} marks ({@link Marks#op()}) made in the measured
 * window, and {@code seconds} the time between the window's own marks (see {@link Marks}), so a
 * tool reading only the log finds the same throughput.
 */
public record Result(String sample, Mode mode, int threads, long ops, double seconds) {

    public double opsPerSecond() {
        return seconds > 0 ? ops / seconds : 0;
    }

    public String line() {
        return String.format(Locale.ROOT, "RESULT sample=%s mode=%s threads=%d ops=%d seconds=%.3f ops_per_s=%.1f",
                sample, mode.label(), threads, ops, seconds, opsPerSecond());
    }
}
