package dev.stmlog.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.stmlog.Transaction}: a transaction that took longer than the threshold
 * ({@code 10 ms} unless the recording's settings say otherwise), from its first attempt's start
 * to its end (see {@link Jfr}). Off unless a recording enables it: enabled, each transaction
 * allocates its event and reads the clock at its start and end, which made a recording cost
 * the bank benchmark's 50 ns transfer two thirds of its throughput (see the module README).
 */
@Name("dev.stmlog.Transaction")
@Label("STM Transaction")
@Category("STM")
@StackTrace(true)
@Threshold("10 ms")
@Enabled(false) // on, it costs every transaction its event and two clock reads: see the module README
@Description("A transaction from its first attempt's start to its end (commit, or roll-back by an exception),"
        + " when longer than the threshold. The stack trace is taken at its end: the STM's frames, then where"
        + " the transaction was entered.")
final class TransactionEvent extends Event {

    @Label("Attempts")
    @Description("Attempts run, the last one included")
    int attempts;

    @Label("Conflicts")
    @Description("Attempts aborted by a conflict")
    int conflicts;

    @Label("Inevitable")
    @Description("The last attempt was inevitable")
    boolean inevitable;

    @Label("Outcome")
    @Description("committed, rolled back (an exception), or set aside (a queue task's retry)")
    String outcome;

    @Label("Last Attempt")
    @Description("How long the last attempt ran; the rest of the duration is the aborted attempts and the waits between them")
    @Timespan(Timespan.NANOSECONDS)
    long lastAttempt;
}
