package dev.stmlog.format.event;

import java.util.Objects;

/** A garbage-collection pause that began at {@code time} and stopped the application. */
public record GcPause(long time, long thread, String collector, long durationNanos) implements Event {
    public GcPause {
        Objects.requireNonNull(collector, "collector");
    }
}
