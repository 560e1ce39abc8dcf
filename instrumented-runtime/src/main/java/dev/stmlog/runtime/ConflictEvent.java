package dev.stmlog.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.stmlog.Conflict}: one conflict lost by a transaction attempt, which was
 * aborted and re-run (see {@link Jfr}). Its time is the abort's; it may be committed a little
 * later, when the re-run's access names the victim's line (a conflict met at commit). A wait for
 * an inevitable transaction is one too ({@code waited}), as in the log, lasting as long as the
 * wait. (A wait for a Ref's write lock is not: frequent, microseconds long, and without a stack
 * in the log either; the abort that may follow it is.)
 */
@Name("dev.stmlog.Conflict")
@Label("STM Conflict")
@Category("STM")
@StackTrace(false)
@Description("A transaction attempt lost a conflict and was aborted, or waited for an inevitable transaction."
        + " The event's own stack would be inside"
        + " the STM, so the victim's and the other side's user frames are given in Victim Frames and Other Frames"
        + " instead: class.method(File.java:line), top frame first, one per line.")
final class ConflictEvent extends Event {

    @Label("Kind")
    @Description("WRITE_WRITE, WRITE_READ or INEVITABLE")
    String kind;

    @Label("Ref")
    @Description("The label of the contended Ref, if it has one")
    String refLabel;

    @Label("Ref Id")
    @Description("The contended Ref's id within this JVM (0: none, as for a wait for an inevitable transaction)")
    long refId;

    @Label("Victim Frames")
    @Description("Where the aborted transaction accessed the Ref (or, at entry, where it was entered), top frame first, one per line")
    String victimFrames;

    @Label("Victim At Entry")
    @Description("Victim Frames only name where the transaction was entered, its access being unknown")
    boolean victimAtEntry;

    @Label("Other Frames")
    @Description("Where the other side wrote the Ref, or became inevitable, top frame first, one per line; empty when unknown")
    String otherFrames;

    @Label("Other Thread Id")
    @Description("The Java thread id of the other side, 0 when unknown")
    long otherThreadId;

    @Label("Other Change")
    @Description("What the other side's last commit of the Ref did to its value: CHANGED, UNCHANGED (it wrote the"
            + " value the Ref held: a write that could have been skipped), NOT_COMPARED (a value whose equals the"
            + " STM does not call), or NOT_KNOWN (the commit was not identified: a Ref's first conflict, an inevitable"
            + " wait)")
    String otherChange;

    @Label("Other Attempt Time")
    @Description("How long the other side's attempt that made that commit ran, from its start to its commit; 0 when not"
            + " known (not identified, or not timed from its start)")
    @Timespan(Timespan.NANOSECONDS)
    long otherAttemptTime;

    @Label("Waited")
    @Description("Not an abort: the transaction waited for an inevitable transaction to end; the event lasts"
            + " as long as the wait, and Lost Time is the wait")
    boolean waited;

    @Label("Lost Time")
    @Description("How long the aborted attempt had run; for a wait, the wait")
    @Timespan(Timespan.NANOSECONDS)
    long lostTime;

    @Label("Lost Time Estimated")
    @Description("The aborted attempt was not timed (first attempts are timed only for a while after a conflict of"
            + " their thread): Lost Time is its re-run's time, the same transaction run again right after")
    boolean lostTimeEstimated;

    @Label("Attempt")
    @Description("The aborted attempt's number within its transaction, from 1")
    int attempt;
}
