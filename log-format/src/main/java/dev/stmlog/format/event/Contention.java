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
 */
public record Contention(long time, long thread, ContentionKind kind, long otherThread,
                         Stack victimStack, Stack otherStack, Stack readStack, String label)
        implements Event {

    public static final long UNKNOWN_THREAD = -1;

    public Contention {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(victimStack, "victimStack");
        Objects.requireNonNull(otherStack, "otherStack");
        Objects.requireNonNull(readStack, "readStack");
    }
}
