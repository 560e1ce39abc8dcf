package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import java.util.Arrays;

/**
 * One thread's {@link Stm#mark} calls not written yet: a count and a sum per name, written as
 * one MARKS record per name with the thread's batch (log-format/FORMAT.md). A record per mark
 * cost the bank sample 37–50% of its speed and 20–27 MB of log per second; counted, a mark is a
 * scan of a few names, compared by identity first (callers pass the same constant).
 *
 * <p>The counts are those of marks made while the {@link CoarseClock} read {@link #tick}, and
 * are written at that time: no later than the marks themselves, and on the right side of every
 * timed mark ({@link Recorder#markTimed} advances the clock). So the marks a program makes
 * between its {@code window.start} and {@code window.end} are exactly those the analyzer
 * counts in that window, whichever threads make them.
 *
 * <p>Owned by the thread; the recorder reads it from another thread only for a thread that has
 * ended, or at exit (then a mark made meanwhile may be missed, like a commit). The name table is
 * bounded: when it is full the recorder writes the batch and {@link #clear}s it.
 */
final class PendingMarks {

    /** Names one thread keeps; a program that makes up names (one per request) refills it. */
    static final int MAX_NAMES = 64;

    private String[] names = new String[4];
    private int[] ids = new int[4];
    private long[] counts = new long[4];
    private long[] sums = new long[4];
    private int size;
    /** Whether some count is not zero. */
    private boolean pending;
    /** The coarse clock's time when the counts were made. */
    long tick;

    /** Counts a mark; false (nothing counted) if {@code name} is new and the table is full. */
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
        pending = true;
    }

    boolean pending() {
        return pending;
    }

    /**
     * Writes a MARKS record per name counted since the last call, at {@link #tick} or
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
        pending = false;
    }

    /** Forgets the names (after {@link #write}). */
    void clear() {
        Arrays.fill(names, 0, size, null);
        size = 0;
    }
}
