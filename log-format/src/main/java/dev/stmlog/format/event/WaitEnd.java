package dev.stmlog.format.event;

import java.util.Objects;

/** The pause begun by the thread's last {@link WaitBegin} of the same kind ended. */
public record WaitEnd(long time, long thread, WaitKind kind) implements Event {
    public WaitEnd {
        Objects.requireNonNull(kind, "kind");
    }
}
