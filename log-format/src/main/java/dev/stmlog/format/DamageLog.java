package dev.stmlog.format;

import java.util.ArrayList;
import java.util.List;

/** Collects the reader's findings while it reads; {@link #toDamage()} freezes them. */
final class DamageLog {
    private static final int MAX_NOTES = 100;

    long truncatedAt = -1;
    long bytesSkipped;
    int damagedRegions;
    long missingChunks;
    long malformedRecords;
    long unresolvedReferences;
    long eventsLost;
    private final List<String> notes = new ArrayList<>();
    private long notesDropped;

    void note(String line) {
        if (notes.size() < MAX_NOTES) notes.add(line);
        else notesDropped++;
    }

    void malformed(long offset, String why) {
        malformedRecords++;
        note("malformed record at byte " + offset + ": " + why);
    }

    Damage toDamage() {
        List<String> all = new ArrayList<>(notes);
        if (notesDropped > 0) all.add("(" + notesDropped + " more problems not listed)");
        return new Damage(truncatedAt, bytesSkipped, damagedRegions, missingChunks, malformedRecords,
                unresolvedReferences, eventsLost, all);
    }
}
