package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A transactional hash map whose conflicts are per key: transactions that touch different keys
 * never abort each other.
 *
 * <p>Design: a {@link ConcurrentHashMap} from key to a per-key slot {@link Ref} holding the
 * value or {@code ABSENT}. Slots are created lazily, outside the transactional world, the first
 * time a key is touched; creating an empty slot is semantically invisible, and slots are never
 * removed (a removed key keeps an {@code ABSENT} slot), so a key's identity never changes under
 * a running transaction. The map therefore retains one small slot per key ever accessed.
 *
 * <p>Whole-map operations ({@link #size()}, {@link #forEach}, {@link #keys()},
 * {@link #snapshot()}) read every slot, so they conflict with any concurrent change of the map:
 * O(n), use them sparingly in hot transactions. To also see keys inserted concurrently (the
 * phantom problem: a new key's slot may appear after the iteration has started), the map keeps
 * a few "presence stripe" Refs: an insert or removal of a key also writes (blindly, without
 * reading) the stripe of that key, and whole-map operations read all stripes before iterating.
 * Blind writes never fail validation, so inserts of different keys still do not abort each
 * other (at worst two of them briefly wait for the same stripe lock during commit); but an
 * insert committed after a whole-map read invalidates that read, as serializability requires.
 * A whole-map read validates the stripes even when its own transaction has written them (an
 * insert followed by {@code size()}): it reads their committed versions into the read set and
 * uses its own writes only for the values ({@link Txn#readThrough}). Per-key operations do not
 * read stripes and are unaffected.
 *
 * <p>Keys and values must not be null. Every method can be called inside a transaction or
 * outside (then it runs as its own transaction).
 */
public final class TMap<K, V> {

    /** Slot content of a key that is not in the map. */
    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    /** What presence stripes are written with: only their version matters. */
    private static final Object MARK = Boolean.TRUE;

    private static final int STRIPES = 16; // power of two

    private final ConcurrentHashMap<K, Slot> slots = new ConcurrentHashMap<>();
    private final Ref<?>[] presence = new Ref<?>[STRIPES];
    private final String label;

    public TMap() {
        this(null);
    }

    /** @param label name used in conflict reports; key k is reported as {@code label[k]} */
    public TMap(String label) {
        this.label = label;
        for (int i = 0; i < STRIPES; i++) {
            presence[i] = new Ref<>(MARK, label == null ? null : label + "#presence" + i);
        }
    }

    public String label() {
        return label;
    }

    // ---------------------------------------------------------------- per-key operations

    /** The value for {@code key}, or null if absent. */
    public V get(K key) {
        return getOrDefault(key, null);
    }

    public V getOrDefault(K key, V defaultValue) {
        Objects.requireNonNull(key, "key");
        Txn tx = CurrentTxn.get();
        Object v;
        if (tx.active) {
            v = tx.read(slot(key));
        } else {
            // Outside a transaction a missing slot just means absent: don't create it.
            Slot s = slots.get(key);
            v = s == null ? ABSENT : s.readCommitted();
        }
        return v == ABSENT ? defaultValue : cast(v);
    }

    public boolean containsKey(K key) {
        Objects.requireNonNull(key, "key");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return tx.read(slot(key)) != ABSENT;
        }
        Slot s = slots.get(key);
        return s != null && s.readCommitted() != ABSENT;
    }

    /** Associates {@code value} with {@code key}; returns the previous value or null. */
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return inTxn(tx -> putIn(tx, key, value, true));
    }

    /** Puts only if absent; returns the existing value, or null if it was absent. */
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return inTxn(tx -> putIn(tx, key, value, false));
    }

    /** Removes {@code key}; returns the previous value or null. */
    public V remove(K key) {
        Objects.requireNonNull(key, "key");
        return inTxn(tx -> {
            Slot s = slot(key);
            Object old = tx.read(s);
            if (old != ABSENT) {
                tx.write(s, ABSENT);
                tx.write(stripe(key), MARK);
            }
            return old == ABSENT ? null : cast(old);
        });
    }

    /**
     * Returns the value for {@code key}, computing and inserting it if absent (a null result
     * inserts nothing). {@code fn} runs inside the transaction and may run again if the
     * transaction re-runs.
     */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        return inTxn(tx -> {
            Slot s = slot(key);
            Object old = tx.read(s);
            if (old != ABSENT) {
                return cast(old);
            }
            V created = fn.apply(key);
            if (created != null) {
                tx.write(s, created);
                tx.write(stripe(key), MARK);
            }
            return created;
        });
    }

    private V putIn(Txn tx, K key, V value, boolean overwrite) {
        Slot s = slot(key);
        Object old = tx.read(s);
        if (old == ABSENT) {
            tx.write(s, value);
            tx.write(stripe(key), MARK); // presence changed
            return null;
        }
        if (overwrite) {
            tx.write(s, value);
        }
        return cast(old);
    }

    // ---------------------------------------------------------------- whole-map operations

    // The collectors below are created inside the transaction body, so that an attempt that
    // aborts half-way through the iteration and re-runs starts from an empty collector.

    /** Number of keys. Reads every slot (see class comment). */
    public int size() {
        return inTxn(tx -> {
            int[] count = new int[1];
            forEachIn(tx, (k, v) -> count[0]++);
            return count[0];
        });
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The keys, as a snapshot list. */
    public List<K> keys() {
        return inTxn(tx -> {
            List<K> keys = new ArrayList<>();
            forEachIn(tx, (k, v) -> keys.add(k));
            return keys;
        });
    }

    /** The contents, as a snapshot (insertion order of the slots, roughly). */
    public Map<K, V> snapshot() {
        return inTxn(tx -> {
            Map<K, V> copy = new LinkedHashMap<>();
            forEachIn(tx, copy::put);
            return copy;
        });
    }

    /**
     * Calls {@code action} for every entry of a consistent snapshot. Inside a transaction the
     * action runs in it; outside, the iteration is one transaction (and the action may run
     * again for a re-run: keep it free of side effects or make it idempotent).
     */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            forEachIn(tx, action);
        } else {
            tx.execute(() -> forEachIn(tx, action), null);
        }
    }

    private void forEachIn(Txn tx, BiConsumer<? super K, ? super V> action) {
        // Stripes first: any insert committed after they are read invalidates this transaction,
        // and any insert committed before has its slot in the map before the iteration starts.
        // Read through our own writes: a put or remove in this transaction has written its
        // stripe blindly, and a plain read would return that write without entering the read
        // set, so the stripe would never be validated. Then a concurrent insert of another key
        // in the same stripe went unnoticed: two transactions that each put a key of one stripe
        // and read size() both saw 1 and both committed (final size 2), and one saw size() == 1
        // and then, after extending its snapshot over that insert, containsKey() of the new key.
        // Slots are read through as well: the ones this map writes were read before (by the
        // put or remove), but the iteration must not depend on that.
        for (Ref<?> p : presence) {
            tx.readThrough(p);
        }
        for (Map.Entry<K, Slot> e : slots.entrySet()) {
            Object v = tx.readThrough(e.getValue());
            if (v != ABSENT) {
                action.accept(e.getKey(), cast(v));
            }
        }
    }

    // ---------------------------------------------------------------- internals

    private Slot slot(K key) {
        Slot s = slots.get(key);
        return s != null ? s : slots.computeIfAbsent(key, Slot::new);
    }

    private Ref<?> stripe(K key) {
        return presence[stripeIndex(key)];
    }

    /** The presence stripe of {@code key} (package-private for tests about shared stripes). */
    static int stripeIndex(Object key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        return h & (STRIPES - 1);
    }

    /** Runs {@code body} in the current transaction, or as its own if there is none. */
    private static <R> R inTxn(Function<Txn, R> body) {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return body.apply(tx);
        }
        Supplier<R> s = () -> body.apply(tx);
        return cast(tx.execute(null, s));
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object v) {
        return (V) v;
    }

    /** A key's slot: a Ref holding the value or ABSENT. */
    private final class Slot extends Ref<Object> {
        private final K key;

        Slot(K key) {
            super(ABSENT, null);
            this.key = key;
        }

        @Override
        public String label() {
            return label == null ? null : label + "[" + key + "]";
        }
    }
}
