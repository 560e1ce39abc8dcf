package dev.stmlog.runtime;

/**
 * A mark name looked up once ({@link Stm#marker}), for a mark made often: {@link #mark} counts
 * it like {@link Stm#mark} does, without finding the name among the thread's names. Keep it in a
 * {@code static final} field:
 *
 * <pre>{@code
 * static final Marker COMPLETED = Stm.marker("request completed");
 * ...
 * COMPLETED.mark(1);
 * }</pre>
 *
 * <p>A mark per transaction is cheaper made by the transaction: {@code Stm.atomic(COMPLETED, body)}
 * ({@link Stm#atomic(Marker, Runnable)}) marks once {@code body} has committed, with the
 * transaction at hand instead of finding the thread's counts again.
 *
 * <p>Immutable and shareable between threads. {@link Stm#marker} returns the same instance for
 * the same name while recording; marks made through it and through {@code Stm.mark} with that
 * name count alike (each may be written in a MARKS record of its own: the analyzer adds them up).
 */
public final class Marker {

    /** {@link #slot} of a marker that has none: counted by name, as {@link Stm#mark} does. */
    static final int NO_SLOT = Integer.MAX_VALUE;

    private final String name;

    /**
     * Where every thread counts this marker's marks ({@link PendingMarks}), from 0 in the order
     * the markers were made; {@link #NO_SLOT} when not recording, or past
     * {@link Markers#MAX_SLOTS} (a program that makes markers for made-up names).
     */
    final int slot;

    /**
     * Where the thread's counts of this marker's marks are in {@code Txn.markCounts}, its sums
     * at the next index: twice {@link #slot}; {@link #NO_INDEX} (past the end of any array) for
     * {@link #NO_SLOT}.
     */
    final int index;

    /** {@link #index} of a marker without a slot: {@code index + 1} does not overflow. */
    static final int NO_INDEX = Integer.MAX_VALUE - 1;

    /** The name's id in the log's string pool (0 if {@link #slot} is {@link #NO_SLOT}). */
    final int nameId;

    /** A mark of 1 once a transaction that {@link Stm#atomic(Marker, Runnable)} joined commits. */
    final Runnable markOne = () -> mark(1);

    Marker(String name, int slot, int nameId) {
        this.name = name;
        this.slot = slot;
        this.index = slot == NO_SLOT ? NO_INDEX : 2 * slot;
        this.nameId = nameId;
    }

    /**
     * {@link Stm#mark Stm.mark(name(), value)}: counted per thread and written with the thread's
     * batch when {@code STM_LOG} is set, nothing otherwise.
     */
    public void mark(long value) {
        if (Recorder.ENABLED) {
            Recorder.mark(this, value);
        }
    }

    /** The name the marks are recorded under. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Marker[" + name + "]";
    }
}
