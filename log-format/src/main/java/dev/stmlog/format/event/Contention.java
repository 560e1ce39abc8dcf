package dev.stmlog.format.event;

import java.util.Objects;

/**
 * A conflict between the thread that recorded it (the victim) and another transaction.
 *
 * @param otherThread the other side's thread id, or {@link #UNKNOWN_THREAD}
 * @param victimStack where the conflict hit the victim (its own frame first)
 * @param otherStack  where the other side wrote the contended Ref or became inevitable;
 *                    empty when unknown
 * @param readStack   for {@link ContentionKind#WRITE_READ}: where the victim had read the Ref;
 *                    empty when unknown
 * @param label       the contended object's label, or {@code null} when it has none
 * @param ref         the contended object's id within this log, the one {@link AccessSite}s
 *                    name; {@link #NO_REF} when none or unknown
 * @param victimAtEntry whether {@code victimStack} is only where the victim's transaction was
 *                    entered, its access being unknown (a conflict met at commit)
 * @param otherChange what the other side's last commit of the object did to its value
 *                    ({@link ValueChange#NOT_KNOWN} when that commit was not identified)
 * @param otherNanos  how long the other side's attempt that made that commit ran, from its start
 *                    to its commit, in ns; {@link #UNKNOWN_NANOS} when that attempt was not timed
 *                    from its start or the commit was not identified
 */
public record Contention(long time, long thread, ContentionKind kind, long otherThread,
                         Stack victimStack, Stack otherStack, Stack readStack, String label,
                         long ref, boolean victimAtEntry, ValueChange otherChange, long otherNanos)
        implements Event {

    public static final long UNKNOWN_THREAD = -1;
    public static final long NO_REF = 0;
    public static final long UNKNOWN_NANOS = -1;

    public Contention {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(victimStack, "victimStack");
        Objects.requireNonNull(otherStack, "otherStack");
        Objects.requireNonNull(readStack, "readStack");
        Objects.requireNonNull(otherChange, "otherChange");
        if (otherNanos < UNKNOWN_NANOS) otherNanos = UNKNOWN_NANOS;
    }

    /** A contention that says nothing of the other side's commit (writers before it was recorded). */
    public Contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                      Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry) {
        this(time, thread, kind, otherThread, victimStack, otherStack, readStack, label, ref, victimAtEntry,
                ValueChange.NOT_KNOWN, UNKNOWN_NANOS);
    }

    /** A contention as older writers record it: no Ref id, the victim's stack at its access. */
    public Contention(long time, long thread, ContentionKind kind, long otherThread,
                      Stack victimStack, Stack otherStack, Stack readStack, String label) {
        this(time, thread, kind, otherThread, victimStack, otherStack, readStack, label, NO_REF, false);
    }
}
