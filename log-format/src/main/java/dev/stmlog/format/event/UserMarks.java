package dev.stmlog.format.event;

import java.util.Objects;

/**
 * {@code count} application marks of one name, counted by the recorder rather than written one
 * by one: the marks of that name the thread made since its previous such record, up to this
 * one's time. {@code sum} is the sum of their values.
 */
public record UserMarks(long time, long thread, String name, long count, long sum) implements Event {
    public UserMarks {
        Objects.requireNonNull(name, "name");
        if (count < 1) throw new IllegalArgumentException("count must be >= 1: " + count);
    }
}
