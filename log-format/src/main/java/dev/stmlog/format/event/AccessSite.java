package dev.stmlog.format.event;

import java.util.Objects;

/**
 * Where the thread read or wrote a contended object ({@code ref}, the id its
 * {@link Contention}s carry). Written when a thread's site for that object and access changes,
 * so that a conflict whose sides were not known when it was recorded can be completed: the
 * victim's access, taken in its re-run, and the other side's write.
 */
public record AccessSite(long time, long thread, long ref, AccessKind access, Stack stack) implements Event {
    public AccessSite {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(stack, "stack");
    }
}
