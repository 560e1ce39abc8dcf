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
    /** What joins that contention with the others on its object; null when none. */
    ConflictJoin.Key contentionKey;
    /** The sum and count of the exactly timed attempts that aborted on that key (the aggregator's). */
    long[] contentionExact;
    /** The thread's last contention while it still lacks a side; null when none. */
    ConflictJoin.Open open;
    /** The current attempt was not timed from its start (an UNTIMED_START followed its start). */
    boolean untimed;
    /**
     * Where the lost time of the thread's last aborted attempt is to be charged when its re-run
     * has ended: that attempt was not timed from its start, and its re-run's time estimates it.
     * Null when none is waiting; {@code rerunKey} is the conflict's key.
     */
    Site rerunOf;
    ConflictJoin.Key rerunKey;
    /** Attempts started (TX_START records), and the number of the one its open conflict was in. */
    long attempts;
    long openAttempt;
    /**
     * How long the thread's last aborted attempt ran, waits excluded, when it was timed from its
     * start and had no stack walk in it (no access site, no contention with a victim stack, not
     * made inevitable); else -1.
     */
    long abortedRun = -1;
    /** The attempt in which the thread last walked its stack (an access site, a victim stack, becoming inevitable). */
    long walkedIn;
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
