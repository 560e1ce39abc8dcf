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

    /** The name's id in the log's string pool (0 if {@link #slot} is {@link #NO_SLOT}). */
    final int nameId;

    Marker(String name, int slot, int nameId) {
        this.name = name;
        this.slot = slot;
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
