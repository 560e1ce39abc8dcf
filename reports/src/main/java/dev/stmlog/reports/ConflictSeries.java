package dev.stmlog.reports;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Conflicts over time: per kind, counts in equal columns of {@code [fromNanos, toNanos)}.
 */
public record ConflictSeries(long fromNanos, long toNanos, int columns, Map<String, int[]> byKind) {
    public ConflictSeries {
        Objects.requireNonNull(byKind, "byKind");
        Map<String, int[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : byKind.entrySet()) {
            if (e.getValue().length != columns) throw new IllegalArgumentException("columns");
            copy.put(e.getKey(), e.getValue().clone());
        }
        byKind = java.util.Collections.unmodifiableMap(copy);
    }

    public long columnNanos() {
        return columns == 0 ? 0 : Math.max(1, (toNanos - fromNanos) / columns);
    }
}
