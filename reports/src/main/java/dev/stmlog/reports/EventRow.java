package dev.stmlog.reports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event for listing.
 *
 * @param thread the thread's id as the command line names it
 * @param type   the event's type ({@code TxStart}, {@code Contention}, ...)
 * @param fields the rest, in order; values are strings, numbers, booleans or lists of strings
 */
public record EventRow(long timeNanos, String thread, String threadName, String type, Map<String, Object> fields) implements View {

    public EventRow {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(type, "type");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
