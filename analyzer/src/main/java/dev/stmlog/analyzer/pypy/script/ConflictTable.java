package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.MarkerTable;
import dev.stmlog.analyzer.pypy.PypyGeneration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scripts' conflict table, shared by the C7 and C8 analyses: entries keyed by (event code,
 * marker 1, marker 2) — C8 keys leave marker 2 empty — created on their first charge, and ranked
 * at the end ({@link PypyConflict#RANKING}). Keys are interned straight from the reader's window
 * ({@link MarkerTable}), so a known key costs no allocation.
 */
final class ConflictTable {
    private final MarkerTable keys = new MarkerTable();
    private final List<Entry> byKey = new ArrayList<>();
    private int created;

    /**
     * One entry while the pass runs. Mutable on purpose: it is added to on every charged record.
     * {@link #conflicts} turns the entries into immutable {@link PypyConflict}s.
     */
    static final class Entry {
        final int keyId;
        final int creation; // first-charge order, the tie breaker (analyzer/docs/pypy-compatibility.md#ranking)
        double aborted;
        double paused;
        long count;
        // exact times: the time line's buckets depend on the last timestamp, known only at the end
        private double[] timestamps = new double[8];

        Entry(int keyId, int creation) {
            this.keyId = keyId;
            this.creation = creation;
        }

        /** One more occurrence at {@code ts}. */
        void occur(double ts) {
            if (count == timestamps.length) timestamps = Arrays.copyOf(timestamps, timestamps.length * 2);
            timestamps[(int) count++] = ts;
        }
    }

    /** The id of the key (code, {@code b[off1, off1 + len1)}, {@code b[off2, off2 + len2)}). */
    int key(int code, byte[] b, int off1, int len1, int off2, int len2) {
        return keys.intern(code, b, off1, len1, off2, len2);
    }

    /** The scripts' CHARGE: finds or creates the key's entry and counts one occurrence at {@code ts}. */
    Entry charge(int key, double ts) {
        while (byKey.size() <= key) byKey.add(null);
        Entry c = byKey.get(key);
        if (c == null) {
            c = new Entry(key, created++);
            byKey.set(key, c);
        }
        c.occur(ts);
        return c;
    }

    /** Every entry charged, frozen, in the scripts' ranking order. */
    List<PypyConflict> conflicts(PypyGeneration generation) {
        List<PypyConflict> conflicts = new ArrayList<>();
        for (Entry c : byKey) {
            if (c == null) continue;
            int code = keys.code(c.keyId);
            conflicts.add(new PypyConflict(code, generation.eventName(code), keys.marker1(c.keyId),
                    keys.marker2(c.keyId), c.aborted, c.paused, c.count, Arrays.copyOf(c.timestamps, (int) c.count),
                    c.creation));
        }
        conflicts.sort(PypyConflict.RANKING);
        return List.copyOf(conflicts);
    }
}
