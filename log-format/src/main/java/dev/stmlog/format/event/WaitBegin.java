package dev.stmlog.format.event;

import java.util.Objects;

/** The thread paused; the time until the matching {@link WaitEnd} counts as paused. */
public record WaitBegin(long time, long thread, WaitKind kind) implements Event {
    public WaitBegin {
        Objects.requireNonNull(kind, "kind");
    }
}
