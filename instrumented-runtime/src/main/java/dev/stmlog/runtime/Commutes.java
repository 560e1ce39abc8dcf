package dev.stmlog.runtime;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The pending {@link Ref#commute} functions of one Ref in one transaction: its write-set value
 * until commit, where they are applied in order to the value committed at that moment, under
 * the Ref's lock (see {@link Txn#commute}). Consecutive {@link Add}s (a {@link TCounter}'s) are
 * folded into one.
 */
final class Commutes {

    private UnaryOperator<Object>[] fns;
    private int size;

    @SuppressWarnings("unchecked")
    Commutes(UnaryOperator<Object> fn) {
        fns = new UnaryOperator[] {fn};
        size = 1;
    }

    void add(UnaryOperator<Object> fn) {
        if (fn instanceof Add a && fns[size - 1] instanceof Add b) {
            fns[size - 1] = new Add(a.delta + b.delta);
            return;
        }
        if (size == fns.length) {
            fns = Arrays.copyOf(fns, size * 2);
        }
        fns[size++] = fn;
    }

    /** The functions applied in order to {@code value}. */
    Object applyTo(Object value) {
        Object v = value;
        for (int i = 0; i < size; i++) {
            v = fns[i].apply(v);
        }
        return v;
    }

    /** {@code v -> v + delta} on a {@code Long}: a {@link TCounter} stripe's commute. */
    static final class Add implements UnaryOperator<Object> {
        final long delta;

        Add(long delta) {
            this.delta = delta;
        }

        @Override
        public Object apply(Object v) {
            return (Long) v + delta;
        }
    }
}
