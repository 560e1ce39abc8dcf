package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link Marker}s made while recording: one per name, each with a slot, the index of its
 * counts in every thread's {@link PendingMarks}. Slots are given in order, from 0, under this
 * class's lock; a thread that meets a slot it has no room for takes the lock to copy the pool
 * ids of every slot made so far ({@link #grow}), so it never counts in a slot whose name it
 * cannot write.
 */
final class Markers {

    /**
     * Slots given out at most: a thread's counts take 20 bytes per slot up to the highest it
     * uses. A program that makes markers for made-up names (one per request) gets markers
     * without a slot past it, counted by name like {@link Stm#mark}.
     */
    static final int MAX_SLOTS = 1024;

    private static final Map<String, Marker> BY_NAME = new HashMap<>();
    /** The pool id of each slot's name; guarded by the class. */
    private static int[] nameIds = new int[16];
    private static int made;

    private Markers() {
    }

    /** The marker named {@code name}, made (and its name pooled in {@code log}) if new. */
    static synchronized Marker of(String name, LogWriter log) {
        Marker m = BY_NAME.get(name);
        if (m != null) {
            return m;
        }
        if (made == MAX_SLOTS) {
            return new Marker(name, Marker.NO_SLOT, 0);
        }
        if (made == nameIds.length) {
            nameIds = Arrays.copyOf(nameIds, made * 2);
        }
        int id = log.string(name);
        nameIds[made] = id;
        m = new Marker(name, made++, id);
        BY_NAME.put(name, m);
        return m;
    }

    /** Makes room in {@code marks} for {@code slot}, a slot given out already, and the slots before it. */
    static synchronized void grow(PendingMarks marks, int slot) {
        marks.addSlots(slot, made, nameIds);
    }
}
