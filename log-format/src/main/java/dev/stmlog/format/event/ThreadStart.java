package dev.stmlog.format.event;

import java.util.Objects;

/** Names a thread: the first event a recording has of it. */
public record ThreadStart(long time, long thread, String name) implements Event {
    public ThreadStart {
        Objects.requireNonNull(name, "name");
    }
}
