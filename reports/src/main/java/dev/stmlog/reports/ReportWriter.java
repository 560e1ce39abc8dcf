package dev.stmlog.reports;

import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One output format: its name, and for each {@link View} it can write, how. A format is one
 * subclass that registers a {@link ViewWriter} per view in its constructor (see {@link #writes});
 * so the views it supports and the code that writes them cannot disagree, and a verb asks which
 * formats write its view ({@link ReportFormats#namesFor}) instead of switching on the format.
 *
 * <p>Everything is written to an {@link Appendable} (a terminal's {@code PrintWriter}, a file's
 * {@code Writer}, a {@code StringBuilder}); writing the files of a report folder is
 * {@link ReportFolder}'s business, not a format's.
 */
public abstract class ReportWriter {
    private final String name;
    private final Map<Class<? extends View>, ViewWriter<?>> writers = new LinkedHashMap<>();

    protected ReportWriter(String name) {
        this.name = name;
    }

    /** How one format writes one kind of view; I/O errors come out as {@link UncheckedIOException}. */
    @FunctionalInterface
    public interface ViewWriter<V extends View> {
        void write(V view, Appendable out);
    }

    /** For subclasses' constructors: this format writes views of {@code type} with {@code writer}. */
    protected final <V extends View> void writes(Class<V> type, ViewWriter<V> writer) {
        if (writers.putIfAbsent(type, writer) != null) throw new IllegalStateException(name + " writes " + type + " twice");
    }

    /** The name {@code --format} takes: {@code text}, {@code csv}, ... */
    public final String name() {
        return name;
    }

    /** The view types this format writes, in the order it registered them. */
    public final Set<Class<? extends View>> views() {
        return Collections.unmodifiableSet(writers.keySet());
    }

    public final boolean canWrite(Class<? extends View> type) {
        return writers.containsKey(type);
    }

    /**
     * The writer for views of {@code type}, for a caller that writes many of them (one event per
     * line, say) and should not look it up each time.
     *
     * @throws IllegalArgumentException when this format cannot write them
     */
    @SuppressWarnings("unchecked") // writes() only ever pairs a type with a writer of that type
    public final <V extends View> ViewWriter<V> writerFor(Class<V> type) {
        ViewWriter<V> w = (ViewWriter<V>) writers.get(type);
        if (w == null) throw new IllegalArgumentException(name + " cannot write a " + type.getSimpleName());
        return w;
    }

    /**
     * Writes {@code view} to {@code out}; I/O errors come out as {@link UncheckedIOException}.
     *
     * @throws IllegalArgumentException when this format cannot write the view
     */
    @SuppressWarnings("unchecked")
    public final <V extends View> void write(V view, Appendable out) {
        writerFor((Class<V>) view.getClass()).write(view, out);
    }

    @Override
    public String toString() {
        return name;
    }
}
