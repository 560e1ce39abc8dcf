package dev.stmlog.format.event;

/**
 * One recorded event. Every event has a time, in nanoseconds since the recording's monotonic
 * origin ({@link Metadata#originNanoTime()}), and the id of the thread it happened on.
 */
public sealed interface Event
        permits TxStart, TxCommit, TxCommits, TxAbort, Contention, WaitBegin, WaitEnd, BecomeInevitable,
                GcPause, ThreadStart, UserMark, UserMarks, DataLoss, AccessSite, UntimedStart {

    /** Nanoseconds since the recording's origin. */
    long time();

    /** Id of the thread the event happened on ({@code Thread.getId()} for JVM recordings). */
    long thread();
}
