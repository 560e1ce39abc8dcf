package dev.stmlog.format.event;

import java.util.Objects;

/** The thread's current transaction attempt was rolled back. */
public record TxAbort(long time, long thread, AbortCause cause) implements Event {
    public TxAbort {
        Objects.requireNonNull(cause, "cause");
    }
}
