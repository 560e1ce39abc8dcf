package dev.stmlog.analyzer;

import dev.stmlog.format.event.ValueChange;

/**
 * What one row's conflicts showed of their two sides' transactions, for {@link Hints}' rules on
 * long readers and unchanged writes: how far into the victim's re-run it first read the object
 * (from the ACCESS_SITE that completed the conflict, recorded at the read's own time, see the
 * format's CONTENTION) and how long the aborted attempt ran; and what the other side's commit
 * of the object did and how long its attempt ran (from the CONTENTION).
 *
 * <p>The victim's time is the aborted attempt's, not the re-run's: the re-run walks the stack
 * at that read (microseconds), and the walk's end is not recorded; on a busy machine the thread
 * was often descheduled right after a walk of 0.3 ms, and the bank sample's 100 ns transfers
 * re-ran for 2 to 140 us. The aborted attempts are no fair measure either, alone: which attempt
 * loses is biased towards the long ones (one descheduled while the others commit: on that busy
 * machine, the bank's aborted transfers took 4 ms at the first quartile), so the victims' threads'
 * committed transactions (their mean, from the log's batches and written commits) must be long
 * too. An aborted attempt counts only when it was timed from its start and
 * no stack was walked in it (no access site recorded, no contention with the victim's stack,
 * not made inevitable), and the re-run's
 * read only when nothing was recorded before it in the re-run (the runtime takes no sampled
 * walk there either). Times are kept as histograms of fixed size (four buckets per power of
 * two, each within 19% of its values), so that memory does not grow with the conflicts.
 */
final class HintEvidence {
    /** Buckets: values up to 2^40 ns (18 min); larger ones go in the last. */
    private static final int BUCKETS = 4 * 40;

    /** Conflicts whose victim's read and aborted attempt were timed, and those where the read came in its first quarter. */
    long timedReads;
    long earlyReads;
    /** The lengths of those aborted attempts. */
    private final long[] victimLengths = new long[BUCKETS];
    /**
     * The victims' threads (in this row's log, before logs are merged; at most
     * {@value #MAX_THREADS}, past that {@link #manyThreads}), and then, worked out at the end of
     * each log, their committed transactions: count and time, summed over logs.
     */
    private final java.util.Set<Long> victimThreads = new java.util.HashSet<>(4);
    private boolean manyThreads;
    long victimCommitted;
    long victimCommittedNanos;
    private static final int MAX_THREADS = 64;

    /** Conflicts whose other side's commit was identified ({@link ValueChange} not NOT_KNOWN), and of those unchanged. */
    long otherCommits;
    long unchanged;
    /** Conflicts whose other side's attempt was timed, and its lengths. */
    long timedOthers;
    private final long[] otherLengths = new long[BUCKETS];

    /**
     * A conflict whose victim's re-run first read the object {@code at} ns into it, the aborted
     * attempt having run {@code length} ns (waits excluded). A read past that length (an attempt
     * aborted before its end) says nothing.
     */
    void victimRead(long thread, long at, long length) {
        if (at < 0 || length <= 0 || at > length) return;
        if (!manyThreads && victimThreads.add(thread) && victimThreads.size() > MAX_THREADS) manyThreads = true;
        timedReads++;
        if (at * 4 <= length) earlyReads++;
        victimLengths[bucket(length)]++;
    }

    /** A conflict whose other side's last commit did {@code change} in an attempt of {@code nanos} (-1: unknown). */
    void otherCommit(ValueChange change, long nanos) {
        if (change != ValueChange.NOT_KNOWN) {
            otherCommits++;
            if (change == ValueChange.UNCHANGED) unchanged++;
        }
        if (nanos >= 0) {
            timedOthers++;
            otherLengths[bucket(nanos)]++;
        }
    }

    /**
     * At the end of a log: the committed transactions of the victims' threads, from
     * {@code committed} (a thread's committed count and time, or null), summed; with too many
     * threads to tell, none, so that the rule that needs them gives nothing.
     */
    void victimsCommitted(java.util.function.LongFunction<long[]> committed) {
        if (!manyThreads) {
            for (long t : victimThreads) {
                long[] c = committed.apply(t);
                if (c == null) continue;
                victimCommitted += c[0];
                victimCommittedNanos += c[1];
            }
        }
        victimThreads.clear();
    }

    /** The victims' threads' mean committed transaction, or -1 when not known. */
    long victimsCommittedMean() {
        return victimCommitted > 0 ? victimCommittedNanos / victimCommitted : -1;
    }

    void merge(HintEvidence o) {
        victimCommitted += o.victimCommitted;
        victimCommittedNanos += o.victimCommittedNanos;
        if (!manyThreads) {
            manyThreads = o.manyThreads;
            victimThreads.addAll(o.victimThreads);
            if (victimThreads.size() > MAX_THREADS) manyThreads = true;
        }
        timedReads += o.timedReads;
        earlyReads += o.earlyReads;
        otherCommits += o.otherCommits;
        unchanged += o.unchanged;
        timedOthers += o.timedOthers;
        for (int i = 0; i < BUCKETS; i++) {
            victimLengths[i] += o.victimLengths[i];
            otherLengths[i] += o.otherLengths[i];
        }
    }

    /** A value at or below the victims' {@code q} quantile (the lower bound of its bucket). */
    long victimsAtLeast(double q) {
        return lower(quantile(victimLengths, timedReads, q));
    }

    /** A value at or above the other sides' {@code q} quantile (the upper bound of its bucket). */
    long othersAtMost(double q) {
        return lower(quantile(otherLengths, timedOthers, q) + 1);
    }

    private static int quantile(long[] buckets, long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
            if (seen >= rank) return i;
        }
        return BUCKETS - 1;
    }

    /** Values 0–3 have a bucket each; then 4 per power of two: 4, 5, 6, 7, 8, 10, 12, 14, 16, 20... */
    static int bucket(long v) {
        if (v < 4) return (int) Math.max(0, v);
        int e = 63 - Long.numberOfLeadingZeros(v); // 2 and up
        int i = 4 * (e - 1) + (int) (v >>> (e - 2) & 3);
        return Math.min(i, BUCKETS - 1);
    }

    /** The smallest value of bucket {@code i} (of the bucket past the last: its end). */
    static long lower(int i) {
        if (i < 4) return i;
        int e = i / 4 + 1;
        return (long) (4 + i % 4) << (e - 2);
    }
}
