package dev.stmlog.analyzer;

/** One thread of one log: where it is in its transaction, and its totals. */
final class ThreadState {
    final int file;
    final long id;
    String name = "";
    boolean included;

    // Where the thread is.
    long lastTime = Long.MIN_VALUE;
    boolean inTx;
    long txStart;
    long pausedInTx;
    int waitKind; // 0 = no open wait, else the WaitKind's ordinal + 1
    long waitStart;
    /** The last contention of the current attempt, or of the attempt just ended; null when none. */
    Site contention;
    /** The start of the attempt that became inevitable (valid while {@code inTx} and equal to txStart). */
    long inevitableTx = Long.MIN_VALUE;
    /** Spans for the report's time line, or null when not recorded. */
    SpanSampler spans;

    // Totals.
    long committed;
    long aborted;
    long committedNanos;
    long abortedNanos;
    long pausedNanos;
    long unfinished;
    /** Ran or waited in transactions (set at the end, or by a contention). */
    boolean active;

    ThreadState(int file, long id) {
        this.file = file;
        this.id = id;
    }
}
