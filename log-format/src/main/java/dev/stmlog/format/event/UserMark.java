package dev.stmlog.format.event;

import java.util.Objects;

/** An application's own mark, such as {@code ("request completed", 1)}. */
public record UserMark(long time, long thread, String name, long value) implements Event {
    public UserMark {
        Objects.requireNonNull(name, "name");
    }
}
