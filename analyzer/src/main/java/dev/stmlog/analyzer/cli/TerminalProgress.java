package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Progress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr, redrawn in place at most four times a second, and only once
 * reading has taken half a second: small files show nothing.
 */
final class TerminalProgress implements Progress {
    private static final long DELAY = 500_000_000L;
    private static final long PERIOD = 250_000_000L;

    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long last;
    private boolean shown;

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void read(String file, long done, long total) {
        long now = System.nanoTime();
        if (now - started < DELAY || now - last < PERIOD) return;
        last = now;
        shown = true;
        double mb = done / 1e6;
        String pct = total > 0 ? String.format(Locale.ROOT, "%3d%%", done * 100 / total) : "";
        err.print(String.format(Locale.ROOT, "\rstmlog: reading %s %s (%.0f MB, %.0f MB/s)\u001b[K", file, pct, mb,
                mb / ((now - started) / 1e9)));
        err.flush();
    }

    /** Clears the line. */
    synchronized void finish() {
        if (shown) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
