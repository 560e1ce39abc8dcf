package dev.stmlog.analyzer;

import java.util.ArrayList;
import java.util.List;

/** Counts of event sequences that should not happen, each resynchronised as documented. */
public final class Unexpected {
    /** A commit with no attempt open: ignored. */
    long commitWithoutStart;
    /** An abort with no attempt open: ignored. */
    long abortWithoutStart;
    /** A start while an attempt is open: the open attempt is dropped (counted nowhere). */
    long nestedStart;
    /** A wait end with no wait open: ignored. */
    long waitEndWithoutBegin;
    /** A wait begin while a wait is open: the open wait ends there. */
    long nestedWait;
    /** A wait end of another kind than the open wait: it ends the open wait all the same. */
    long waitKindMismatch;
    /** A start, commit or abort while a wait is open: the wait ends there. */
    long txEventDuringWait;
    /** An event timed before the thread's previous event: its durations count as 0. */
    long timeBackwards;

    public long total() {
        return commitWithoutStart + abortWithoutStart + nestedStart + waitEndWithoutBegin + nestedWait
                + waitKindMismatch + txEventDuringWait + timeBackwards;
    }

    void add(Unexpected o) {
        commitWithoutStart += o.commitWithoutStart;
        abortWithoutStart += o.abortWithoutStart;
        nestedStart += o.nestedStart;
        waitEndWithoutBegin += o.waitEndWithoutBegin;
        nestedWait += o.nestedWait;
        waitKindMismatch += o.waitKindMismatch;
        txEventDuringWait += o.txEventDuringWait;
        timeBackwards += o.timeBackwards;
    }

    /** {@code "2 commits with no start, 1 nested start"}; empty when there were none. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        part(parts, commitWithoutStart, "commit with no start", "commits with no start");
        part(parts, abortWithoutStart, "abort with no start", "aborts with no start");
        part(parts, nestedStart, "start inside an open attempt", "starts inside an open attempt");
        part(parts, waitEndWithoutBegin, "wait end with no begin", "wait ends with no begin");
        part(parts, nestedWait, "wait begin inside an open wait", "wait begins inside an open wait");
        part(parts, waitKindMismatch, "wait end of another kind", "wait ends of another kind");
        part(parts, txEventDuringWait, "transaction event during a wait", "transaction events during a wait");
        part(parts, timeBackwards, "event timed before its predecessor", "events timed before their predecessor");
        return String.join(", ", parts);
    }

    private static void part(List<String> parts, long n, String one, String many) {
        if (n > 0) parts.add(n + " " + (n == 1 ? one : many));
    }
}
