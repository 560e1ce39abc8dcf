package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.PyFormat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The scripts' stderr: progress items, notes and the final line feed, spaced by Python 2's
 * "soft space" rule — an item printed with a trailing comma leaves the line open, and the next
 * item on it is preceded by one space.
 */
final class StderrProgress {
    /** The script reports progress before records whose index is a multiple of this. */
    static final long EVERY = 0x80000;

    private final PrintStream err;
    private boolean softspace;

    StderrProgress(PrintStream err) {
        this.err = err;
    }

    /** {@code print >> sys.stderr, '%d%%' % (frac * 100),} for a record's progress fraction. */
    void progress(double fraction) {
        write(PyFormat.fixed(fraction * 100.0, 0, 0));
        err.write('%');
        softspace = true;
    }

    void note(String line) {
        write(line);
        err.write('\n');
        softspace = false;
    }

    /** The bare {@code print >> sys.stderr} after the last record. */
    void end() {
        err.write('\n');
        softspace = false;
        err.flush();
    }

    /** Ends an open progress line before an error message, so the message stands on its own line. */
    void closeLine() {
        if (softspace) end();
        err.flush();
    }

    private void write(String s) {
        if (softspace) err.write(' ');
        err.write(s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
    }
}
