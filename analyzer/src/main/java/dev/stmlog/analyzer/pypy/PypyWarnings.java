package dev.stmlog.analyzer.pypy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default (non-strict) mode's warnings, counted per kind: a damaged log can repeat the same
 * inconsistency millions of times, and one line per kind with a count is what a user can read.
 * The first occurrence's message is kept because it names a byte offset to look at.
 */
public final class PypyWarnings {
    private final Map<String, Entry> byKind = new LinkedHashMap<>();
    private final Map<String, Entry> notes = new LinkedHashMap<>();

    private static final class Entry {
        final String first;
        long count;

        Entry(String first) {
            this.first = first;
        }
    }

    /** Records one occurrence of {@code kind}; {@code message} is kept if it is the first. */
    public void warn(String kind, String message) {
        byKind.computeIfAbsent(kind, k -> new Entry(message)).count++;
    }

    /**
     * Records damage the original script passes over without a word (a cut last record): kept
     * apart from warnings so that output meant to be the script's bytes can leave them out.
     */
    public void note(String kind, String message) {
        notes.computeIfAbsent(kind, k -> new Entry(message)).count++;
    }

    /** Note lines, formatted as {@link #lines()}. */
    public List<String> noteLines() {
        return format(notes, "note: ");
    }

    public boolean isEmpty() {
        return byKind.isEmpty();
    }

    /** Occurrences of one kind so far. */
    public long count(String kind) {
        Entry e = byKind.get(kind);
        return e == null ? 0 : e.count;
    }

    /**
     * One line per kind, without line end: {@code <first message> (N times)}. The caller adds
     * its own prefix ({@code stmlog: warning: }, or a damage note's).
     */
    public List<String> lines() {
        return format(byKind, "");
    }

    private static List<String> format(Map<String, Entry> entries, String prefix) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(prefix + e.first + (e.count > 1 ? " (" + e.count + " times)" : ""));
        }
        return List.copyOf(out);
    }
}
