package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.PypyGeneration;

import java.util.List;

/**
 * What the original script's pass computed, before formatting. C8 fills every figure; C7 fills
 * {@code totalCpu} and the conflicts (its script computes nothing else), and the C8-only sums
 * stay 0.
 *
 * @param records           records analysed
 * @param firstTs           first record's timestamp (file order)
 * @param lastTs            last record's timestamp (file order)
 * @param committed         C8: run time of committed transactions, summed over threads
 * @param aborted           C8: run time of aborted transactions
 * @param paused            C8: pause time of finished transactions
 * @param minorGc           C8: minor collection time
 * @param majorGc           C8: major collection time
 * @param nCommitted        C8: committed transactions (C7: counted too, for comparisons)
 * @param nAborted          C8: aborted transactions (C7: counted too)
 * @param totalCpu          C7: the script's "CPU time in STM mode"; C8: 0
 * @param doubleWriteReads  C8: ignored duplicate write-read records (the stderr notes)
 * @param threads           per-thread figures, ascending thread number
 * @param conflicts         every conflict, in the script's ranking order
 */
public record PypyReport(PypyGeneration generation, long records, double firstTs, double lastTs,
                         double committed, double aborted, double paused, double minorGc, double majorGc,
                         long nCommitted, long nAborted, double totalCpu, long doubleWriteReads,
                         List<ThreadFigures> threads, List<PypyConflict> conflicts) {

    /** {@code lastTs - firstTs}: the script's "Total real time". */
    public double totalTime() {
        return lastTs - firstTs;
    }

    /** C8: {@code (committed + aborted) + paused}, in the script's order. */
    public double total() {
        return (committed + aborted) + paused;
    }

    public long nTransactions() {
        return nCommitted + nAborted;
    }

    /** One thread's sums (C7: {@code committed} holds its CPU time, the rest 0). */
    public record ThreadFigures(long thread, double committed, double aborted, double paused, double minorGc,
                                double majorGc, long nCommitted, long nAborted) {}
}
