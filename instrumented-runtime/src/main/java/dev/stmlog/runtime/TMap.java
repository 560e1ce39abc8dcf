package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A transactional hash map whose conflicts are per key: transactions that touch different keys
 * never abort each other.
 *
 * <p>Design: a {@link ConcurrentHashMap} from key to a per-key slot {@link Ref} holding the
 * value or {@code ABSENT}. Slots are created lazily, outside the transactional world, the first
 * time a key is touched (also by a read of an absent key); creating an empty slot is
 * semantically invisible.
 *
 * <p>Slots of absent keys are reclaimed, so the map does not keep one per key ever touched
 * (200,000 put+remove pairs and 200,000 reads of absent keys made {@code size()} of the empty
 * map 770 times slower before). When the slot count has doubled since the last sweep, the thread
 * creating a slot sweeps: a slot that was {@code ABSENT} at the previous sweep and has not been
 * written since is <em>retired</em>, by a one-Ref commit that writes the {@code RETIRED} marker
 * (lock, tick the clock, write back: a transaction that read the slot before is invalidated like
 * by any commit); the next sweep drops it from the hash map. A retired slot stays absent
 * forever: a transaction that reads the marker replaces the slot with a fresh one before it
 * writes, and reads of the key and whole-map reads see an absent key. (Retired slots stay in the
 * hash map for a sweep interval so that these paths run all the time, not only in a rare race.)
 * Slots are retired only if they stayed absent for a whole sweep interval, so a slot a running
 * transaction has just created is not pulled from under it; no slot is retired while an
 * inevitable transaction runs (it could not be invalidated). The cost is amortized: a sweep
 * visits every slot, at most once per doubling.
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

    /**
     * Slot content of a reclaimed slot: the key is absent, and the slot must not be written
     * (it is no longer in the hash map). See the class comment.
     */
    private static final Object RETIRED = new Object() {
        @Override
        public String toString() {
            return "RETIRED";
        }
    };

    /** No sweep below this many slots: a small map is not worth one. */
    static final int MIN_SLOTS_TO_SWEEP = 1024;

    /** What presence stripes are written with: only their version matters. */
    private static final Object MARK = Boolean.TRUE;

    private static final int STRIPES = 16; // power of two

    private final ConcurrentHashMap<K, Slot> slots = new ConcurrentHashMap<>();
    private final Ref<?>[] presence = new Ref<?>[STRIPES];
    private final String label;
    /** Slot count at which the next sweep runs (see the class comment). */
    private volatile int sweepAt = MIN_SLOTS_TO_SWEEP;
    private final AtomicBoolean sweeping = new AtomicBoolean();

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
            v = readLive(tx, key);
        } else {
            // Outside a transaction a missing slot just means absent: don't create it.
            Slot s = slots.get(key);
            v = s == null ? ABSENT : s.readCommitted();
        }
        return isAbsent(v) ? defaultValue : cast(v);
    }

    public boolean containsKey(K key) {
        Objects.requireNonNull(key, "key");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return !isAbsent(readLive(tx, key));
        }
        Slot s = slots.get(key);
        return s != null && !isAbsent(s.readCommitted());
    }

    // The same per-key operations in the transaction tx, given to the body of Stm.run or
    // Stm.call: they do not look the transaction up.

    /** {@link #get(Object)} in the transaction {@code tx} (see {@link Stm#run}). */
    public V get(Txn tx, K key) {
        return getOrDefault(tx, key, null);
    }

    /** {@link #getOrDefault(Object, Object)} in the transaction {@code tx}. */
    public V getOrDefault(Txn tx, K key, V defaultValue) {
        Objects.requireNonNull(key, "key");
        Object v = readLive(tx, key);
        return isAbsent(v) ? defaultValue : cast(v);
    }

    /** {@link #containsKey(Object)} in the transaction {@code tx}. */
    public boolean containsKey(Txn tx, K key) {
        Objects.requireNonNull(key, "key");
        return !isAbsent(readLive(tx, key));
    }

    /** {@link #put(Object, Object)} in the transaction {@code tx}. */
    public V put(Txn tx, K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return putIn(tx, key, value, true);
    }

    /** {@link #remove(Object)} in the transaction {@code tx}. */
    public V remove(Txn tx, K key) {
        Objects.requireNonNull(key, "key");
        return removeIn(tx, key);
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
        return inTxn(tx -> removeIn(tx, key));
    }

    private V removeIn(Txn tx, K key) {
        Slot s = liveSlot(tx, key);
        Object old = tx.read(s);
        if (old != ABSENT) {
            tx.write(s, ABSENT);
            tx.write(stripe(key), MARK);
        }
        return old == ABSENT ? null : cast(old);
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
            Slot s = liveSlot(tx, key);
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
        Slot s = liveSlot(tx, key);
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
            tx.execute((Runnable) () -> forEachIn(tx, action), Txn.RUNNABLE);
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
            if (!isAbsent(v)) {
                action.accept(e.getKey(), cast(v));
            }
        }
    }

    // ---------------------------------------------------------------- internals

    /**
     * The key's slot, as read in {@code tx}: never a retired one (its marker is replaced by a
     * fresh slot), so that a write goes to the slot the hash map holds. Callers read it again for
     * its value, which comes from the read set's snapshot.
     */
    private Slot liveSlot(Txn tx, K key) {
        Slot s = slot(key);
        while (tx.read(s) == RETIRED) {
            slots.remove(key, s);
            s = slot(key);
        }
        return s;
    }

    /** {@code tx.read(liveSlot(tx, key))}, reading the slot once. */
    private Object readLive(Txn tx, K key) {
        Slot s = slot(key);
        Object v;
        while ((v = tx.read(s)) == RETIRED) {
            slots.remove(key, s);
            s = slot(key);
        }
        return v;
    }

    private Slot slot(K key) {
        Slot s = slots.get(key);
        if (s != null) {
            return s;
        }
        if (slots.size() >= sweepAt) {
            sweep();
        }
        return slots.computeIfAbsent(key, Slot::new);
    }

    private static boolean isAbsent(Object v) {
        return v == ABSENT || v == RETIRED;
    }

    /**
     * One sweep (see the class comment), unless another thread is sweeping: retires the slots
     * that were absent at the previous sweep and have not been written since, marks the other
     * absent ones, drops retired slots. Package-private so that tests can force it.
     */
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            sweepAlone();
        } finally {
            sweeping.set(false);
        }
    }

    private void sweepAlone() {
        int present = 0;
        int marked = 0;
        boolean retiredAny = false;
        for (Slot s : slots.values()) {
            long w = s.word();
            Object v = s.valueAcquire();
            if (v == RETIRED) {
                slots.remove(s.key, s);
            } else if (v != ABSENT || (w & Ref.LOCKED) != 0 || w != s.word()) {
                s.absentAtSweep = NOT_ABSENT;
                present++;
            } else if (s.absentAtSweep == w && s.retire(w)) {
                retiredAny = true; // dropped by the next sweep, or by the first reader to meet it
            } else {
                s.absentAtSweep = w;
                marked++;
            }
        }
        // The marked slots go at the next sweep: counting them as present would let the slot
        // count double at every sweep under churn. This way a map with n keys holds at most
        // 3 * max(MIN, 2n) slots (present, marked, retired), and at least max(n, MIN - n) slots
        // are created between two sweeps, so a slot costs a bounded number of visits.
        sweepAt = marked + Math.max(MIN_SLOTS_TO_SWEEP, 2 * present);
        if (retiredAny) {
            // A Stm.retry() that read a retired slot would wait on it forever: the key's next
            // insert goes to a fresh slot. Let it re-run and read that one.
            RetryWaiters.wakeAll();
        }
    }

    /** Number of slots in the hash map, retired or not (for tests). */
    int slotCount() {
        return slots.size();
    }

    /** Number of retired slots still in the hash map (for tests). */
    int retiredSlotCount() {
        return (int) slots.values().stream().filter(s -> s.valueAcquire() == RETIRED).count();
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
    private static <R> R inTxn(Stm.TxCallable<R> body) {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return body.call(tx);
        }
        return cast(tx.execute(body, Txn.TX_CALLABLE));
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object v) {
        return (V) v;
    }

    /** {@link Slot#absentAtSweep} of a slot that was not absent at the last sweep. */
    private static final long NOT_ABSENT = -1L;

    /** A key's slot: a Ref holding the value, ABSENT or RETIRED. */
    private final class Slot extends Ref<Object> {
        private final K key;

        /**
         * The lock word this slot had when the last sweep found it absent, or NOT_ABSENT: if the
         * next sweep finds the same word, nobody has written it in between. Only sweepers touch
         * it, one at a time (the {@code sweeping} flag orders them).
         */
        long absentAtSweep = NOT_ABSENT;

        Slot(K key) {
            super(ABSENT, null);
            this.key = key;
        }

        @Override
        public String label() {
            return label == null ? null : label + "[" + key + "]";
        }

        /**
         * Commits RETIRED into this slot if its lock word is still {@code unlockedWord}: a
         * commit of one Ref, outside any transaction, by the protocol of {@link Txn}'s commit
         * (lock, tick, write back with the new version). The word check is the validation: the
         * slot is still the absent one the sweeper saw. Refused while an inevitable transaction
         * runs: that one commits without validating, so it could write into a retired slot.
         */
        boolean retire(long unlockedWord) {
            if (!tryLock(unlockedWord)) {
                return false;
            }
            long previous = GlobalClock.tick();
            if ((previous & GlobalClock.INEVITABLE) != 0) {
                releaseWord(unlockedWord);
                return false;
            }
            publishValue(RETIRED);
            lastWrite = 0L; // no user transaction wrote it
            releaseWord((previous >>> 1) + 1); // unlocked, at the next version
            return true;
        }
    }
}
