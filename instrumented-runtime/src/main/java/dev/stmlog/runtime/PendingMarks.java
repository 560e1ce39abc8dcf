package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import java.util.Arrays;

/**
 * One thread's marks not written yet: a count and a sum per name, written as one MARKS record
 * per name with the thread's batch (log-format/FORMAT.md). A record per mark cost the bank
 * sample 37–50% of its speed and 20–27 MB of log per second. A {@link Marker}'s marks are counted
 * in its slot (an index, the same in every thread); a {@link Stm#mark} by name is found among a
 * few names, compared by identity first (callers pass the same constant).
 *
 * <p>The counts are those of marks made while the {@link CoarseClock} read {@link #tick}, and
 * are written at that time: no later than the marks themselves, and on the right side of every
 * timed mark ({@link Recorder#markTimed} advances the clock). So the marks a program makes
 * between its {@code window.start} and {@code window.end} are exactly those the analyzer
 * counts in that window, whichever threads make them. {@link #tick} is {@link #NO_TICK} while
 * nothing is counted, so that a mark by name under the tick of the thread's last one is one
 * comparison and needs no flag of its own. A marker's mark does not look at the clock at all:
 * the slots' counts under the current tick are open in {@code Txn.markCounts} until the clock
 * moves (the clock thread and timed marks close them, {@link Recorder#mark(Txn, Marker, long)}).
 *
 * <p>Owned by the thread; the recorder reads it from another thread only for a thread that has
 * ended, or at exit (then a mark made meanwhile may be missed, like a commit). The name table is
 * bounded: when it is full the recorder writes the batch and {@link #clearNames}s it. The slots
 * are bounded by {@link Markers#MAX_SLOTS}.
 */
final class PendingMarks {

    /**
     * {@code Txn.markCounts} while the thread's marks may not be counted there without looking
     * at the clock: no room for any slot, so that the one bounds test of a mark sends it to the
     * slow path ({@link Recorder#mark(Txn, Marker, long)}).
     */
    static final long[] NOT_COUNTING = new long[0];

    /** Names one thread keeps; a program that makes up names (one per request) refills it. */
    static final int MAX_NAMES = 64;

    /**
     * {@link #tick} while nothing is counted. The coarse clock holds {@code System.nanoTime()}
     * values, which would reach it 292 years after their origin.
     */
    static final long NO_TICK = Long.MIN_VALUE;

    // Marks by name: names[i] (pool id ids[i]) counted counts[i] times, adding up to sums[i].
    private String[] names = new String[4];
    private int[] ids = new int[4];
    private long[] counts = new long[4];
    private long[] sums = new long[4];
    private int size;

    // Marks of markers, by slot: slots[2 * slot] marks whose values add up to that count plus
    // slots[2 * slot + 1], up to the highest slot this thread has used (and the slots made
    // before it); slotIds[slot] the name's pool id. One array for both: a mark is one bounds
    // test and two adds, and a mark of 1, the usual one, only one (adding value - 1, a
    // constant 0 the JIT drops).
    long[] slots = NOT_COUNTING;
    private int[] slotIds = new int[0];

    /** The coarse clock's time when the counts were made; {@link #NO_TICK} if there are none. */
    long tick = NO_TICK;

    /**
     * A {@link Marker}'s mark, made under the coarse time {@code now}: false, nothing counted,
     * unless the thread counts under that time already and has the slot.
     */
    boolean countInSlot(int slot, long value, long now) {
        long[] c = slots;
        if (now != tick || slot >= c.length / 2) {
            return false;
        }
        c[2 * slot]++;
        c[2 * slot + 1] += value - 1;
        return true;
    }

    /** Whether the thread has room for {@code slot}'s counts. */
    boolean hasSlot(int slot) {
        return slot < slots.length / 2;
    }

    /**
     * Makes room for the slots up to {@code slot}, of which there are {@code made} so far, with
     * their pool ids {@code ids} (at least {@code made} of them).
     */
    void addSlots(int slot, int made, int[] nameIds) {
        int n = Math.min(Math.max(slot + 1, slots.length), made); // slots.length / 2 * 2
        slots = Arrays.copyOf(slots, 2 * n);
        slotIds = Arrays.copyOf(nameIds, n);
    }

    /** Counts a mark by name; false (nothing counted) if {@code name} is new and the table is full. */
    boolean add(String name, long value, LogWriter log) {
        String[] ns = names;
        for (int i = 0, n = size; i < n; i++) {
            if (ns[i] == name) {
                count(i, value);
                return true;
            }
        }
        return addByValue(name, value, log);
    }

    private boolean addByValue(String name, long value, LogWriter log) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                count(i, value);
                return true;
            }
        }
        if (size == MAX_NAMES) {
            return false;
        }
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            ids = Arrays.copyOf(ids, n);
            counts = Arrays.copyOf(counts, n);
            sums = Arrays.copyOf(sums, n);
        }
        names[size] = name;
        ids[size] = log.string(name);
        count(size++, value);
        return true;
    }

    private void count(int i, long value) {
        counts[i]++;
        sums[i] += value;
    }

    /** Whether some count is not zero. */
    boolean pending() {
        return tick != NO_TICK;
    }

    /**
     * Writes a MARKS record per name and slot counted since the last call, at {@link #tick} or
     * {@code notBefore} (the thread's last record) if later.
     */
    void write(ThreadWriter to, long notBefore) {
        long time = Math.max(tick, notBefore);
        for (int i = 0; i < size; i++) {
            if (counts[i] != 0) {
                to.marks(time, ids[i], counts[i], sums[i]);
                counts[i] = 0;
                sums[i] = 0;
            }
        }
        // Read once: at exit another thread writes the counts of one still running, which may
        // be making room for a slot meanwhile (its marks then may be missed, not misnamed).
        long[] slot = slots;
        int[] slotId = slotIds;
        for (int s = 0, n = Math.min(slot.length / 2, slotId.length); s < n; s++) {
            if (slot[2 * s] != 0) {
                to.marks(time, slotId[s], slot[2 * s], slot[2 * s] + slot[2 * s + 1]);
                slot[2 * s] = 0;
                slot[2 * s + 1] = 0;
            }
        }
        tick = NO_TICK;
    }

    /** Forgets the names (after {@link #write}); the slots stay. */
    void clearNames() {
        Arrays.fill(names, 0, size, null);
        size = 0;
    }
}
