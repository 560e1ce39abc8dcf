package dev.stmlog.samples;

import dev.stmlog.runtime.Marker;
import dev.stmlog.runtime.Stm;

/**
 * The user marks of the samples, all made outside any transaction (marks are not transactional:
 * one made in an attempt that aborts would be recorded all the same). With {@code STM_LOG} unset
 * they cost nothing.
 * <ul>
 *   <li>{@code window.start} ({@link #windowStart()}) where the measured window starts, after any
 *       warm-up;</li>
 *   <li>{@code op} ({@link #op()}, value 1) once per operation counted in it, in every mode
 *       (serial and lock included);</li>
 *   <li>{@code window.end} ({@link #windowEnd()}) where the window ends, after the last counted
 *       {@code op}.</li>
 * </ul>
 * The window's marks are timed ({@link Stm#markTimed}); the {@code op} marks are counted and
 * written with the thread's batches, after the window's start and before its end: exact in
 * number. {@code stmlog scale} counts the {@code op} marks between the window's marks and
 * divides by the time between those: exactly the RESULT line's {@code ops} over its {@code seconds}, whose
 * times are read right after each mark (tens of microseconds after the mark's own time).
 */
public final class Marks {
    /** The mark of one completed operation; {@code stmlog scale} counts these to compute throughput. */
    public static final String OP = "op";
    /** The marks of the measured window (the names {@code stmlog scale} looks for). */
    public static final String WINDOW_START = "window.start", WINDOW_END = "window.end";

    private Marks() {
    }

    /** Made once: a {@link Marker} counts a mark without looking its name up. */
    private static final Marker OPS = Stm.marker(OP);

    public static void op() {
        OPS.mark(1);
    }

    /**
     * Marks the start of the measured window; returns its time ({@link System#nanoTime()}). The
     * mark comes first: when it is the runtime's first use (serial mode), it opens the log first:
     * tens of milliseconds (74 ms for a small program's first mark on the development VM) that
     * must not fall inside the window on one side only.
     */
    public static long windowStart() {
        Stm.markTimed(WINDOW_START, 0);
        return System.nanoTime();
    }

    /**
     * Marks the end of the measured window, once its last operation has been marked; returns its
     * time. The mark comes first here too: the runtime pools a new mark name before it reads the
     * mark's time, and with the clock read first that (0.8 to 15 ms) fell inside the RESULT
     * line's window and not the log's.
     */
    public static long windowEnd() {
        Stm.markTimed(WINDOW_END, 0);
        return System.nanoTime();
    }
}
