package dev.stmlog.runtime;

import java.util.function.UnaryOperator;

/**
 * A fixed-size transactional array. Every element is its own {@link Ref}, so transactions
 * touching different elements never conflict.
 */
public final class TArray<T> {

    private final Element<T>[] elements;
    private final String label;

    public TArray(int length) {
        this(length, null, null);
    }

    public TArray(int length, T initial) {
        this(length, initial, null);
    }

    /** @param label name used in conflict reports; element i is reported as {@code label[i]} */
    @SuppressWarnings("unchecked")
    public TArray(int length, T initial, String label) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.label = label;
        this.elements = (Element<T>[]) new Element<?>[length];
        for (int i = 0; i < length; i++) {
            elements[i] = new Element<>(initial, this, i);
        }
    }

    public int length() {
        return elements.length;
    }

    public T get(int i) {
        return elements[i].get();
    }

    public void set(int i, T value) {
        elements[i].set(value);
    }

    /** {@link #get(int)} in the transaction {@code tx} (see {@link Stm#run}). */
    public T get(Txn tx, int i) {
        return elements[i].get(tx);
    }

    /** {@link #set(int, Object)} in the transaction {@code tx} (see {@link Stm#run}). */
    public void set(Txn tx, int i, T value) {
        elements[i].set(tx, value);
    }

    /** Applies {@code fn} to element {@code i}, stores and returns the result. */
    public T update(int i, UnaryOperator<T> fn) {
        return elements[i].update(fn);
    }

    /** The Ref backing element {@code i} (for getAndSet, getAndUpdate, ...). */
    public Ref<T> ref(int i) {
        return elements[i];
    }

    public String label() {
        return label;
    }

    /** An element; its label is derived on demand, so unlabeled arrays cost no strings. */
    private static final class Element<T> extends Ref<T> {
        private final TArray<T> array;
        private final int index;

        Element(T initial, TArray<T> array, int index) {
            super(initial, null);
            this.array = array;
            this.index = index;
        }

        @Override
        public String label() {
            return array.label == null ? null : array.label + "[" + index + "]";
        }
    }
}
