package dev.stmlog.samples;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.TArray;
import dev.stmlog.runtime.TMap;
import dev.stmlog.runtime.Txn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Shared state, written once and backed according to the mode: transactional
 * ({@link Ref}, {@link TArray}, {@link TMap}) in stm mode, plain fields and collections in serial
 * and lock modes. This is what lets each sample be "the same code" in all three modes, and
 * keeps the serial baseline honest: it pays nothing for transactions.
 *
 * <p><b>Why these look a little unusual.</b> When a conflict is recorded, {@code stmlog} charges
 * it to the first stack frame outside the STM runtime. A plain wrapper class around a Ref would
 * be that frame for every conflict ("Shared.get", line 60), which tells the reader nothing.
 * So no frame of this class stands between the sample's code and the runtime in stm mode:
 * <ul>
 *   <li>a {@link Cell} in stm mode <em>is</em> a {@link Ref} (a subclass that only adds the
 *       interface; Ref's own methods implement it);</li>
 *   <li>{@link Cells} and {@link Table} hand out method references to the runtime's methods
 *       ({@code array::get}, {@code map::put}); their JDK-generated frames are hidden from
 *       stack walks. Hence call sites read {@code map.read().at(i)}.</li>
 * </ul>
 * The labels given here are the names {@code stmlog top --by ref} prints for contended state:
 * name your shared state.
 */
public final class Shared {

    private Shared() {
    }

    /** One shared variable. */
    public interface Cell<T> {
        T get();

        void set(T value);

        T update(UnaryOperator<T> fn);

        /**
         * A commutative update ({@code Ref.commute} in stm mode): concurrent commuters never
         * conflict, {@code fn} is applied at commit to the value committed then.
         */
        void commute(UnaryOperator<T> fn);
    }

    /** Reads element {@code i}. */
    @FunctionalInterface
    public interface Reader<T> {
        T at(int i);
    }

    /**
     * Reads element {@code i} in the transaction {@code tx} (given by {@link Mode#txCall()}; null
     * outside stm mode): a hot loop's read, which then need not look the transaction up.
     */
    @FunctionalInterface
    public interface TxReader<T> {
        T at(Txn tx, int i);
    }

    /** Writes element {@code i}. */
    @FunctionalInterface
    public interface Writer<T> {
        void put(int i, T value);
    }

    /**
     * A fixed-size array of shared variables; in stm mode element {@code i} conflicts only with
     * itself. {@code readIn} is {@code read} for code that has its transaction at hand.
     */
    public record Cells<T>(int length, Reader<T> read, Writer<T> write, TxReader<T> readIn) {
    }

    /** A shared map; in stm mode, per-key conflicts only. */
    public record Table<K, V>(Function<K, V> lookup, BiConsumer<K, V> store) {
    }

    /** A Ref that is also a {@link Cell}: Ref's (final) get/set/update/commute implement the interface. */
    private static final class TxCell<T> extends Ref<T> implements Cell<T> {
        TxCell(T initial, String label) {
            super(initial, label);
        }
    }

    private static final class PlainCell<T> implements Cell<T> {
        private T value; // serial: one thread; lock: only touched under the lock

        PlainCell(T value) {
            this.value = value;
        }

        public T get() {
            return value;
        }

        public void set(T v) {
            value = v;
        }

        public T update(UnaryOperator<T> fn) {
            return value = fn.apply(value);
        }

        public void commute(UnaryOperator<T> fn) {
            value = fn.apply(value);
        }
    }

    public static <T> Cell<T> cell(Mode mode, T initial, String label) {
        return mode.transactional() ? new TxCell<>(initial, label) : new PlainCell<>(initial);
    }

    @SuppressWarnings("unchecked")
    public static <T> Cells<T> cells(Mode mode, int length, T initial, String label) {
        if (mode.transactional()) {
            TArray<T> array = new TArray<>(length, initial, label); // element i is reported as label[i]
            return new Cells<>(length, array::get, array::set, array::get);
        }
        Object[] array = new Object[length];
        Arrays.fill(array, initial);
        return new Cells<>(length, i -> (T) array[i], (i, v) -> array[i] = v, (tx, i) -> (T) array[i]);
    }

    public static <K, V> Table<K, V> table(Mode mode, String label) {
        if (mode.transactional()) {
            TMap<K, V> map = new TMap<>(label);
            return new Table<>(map::get, map::put);
        }
        Map<K, V> map = new HashMap<>();
        return new Table<>(map::get, map::put);
    }
}
