package dev.stmlog.format.event;

import java.util.Objects;

/** The thread's transaction became inevitable at {@code stack} (empty when not captured). */
public record BecomeInevitable(long time, long thread, Stack stack) implements Event {
    public BecomeInevitable {
        Objects.requireNonNull(stack, "stack");
    }
}
