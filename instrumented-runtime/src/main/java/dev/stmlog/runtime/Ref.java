package dev.stmlog.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A transactional variable.
 *
 * <p>Inside a transaction ({@link Stm#atomic}) every operation is transactional. Outside one,
 * each call is its own single-operation transaction: {@link #get()} returns the latest committed
 * value, and the writing operations are atomic read-modify-writes that serialize with all
 * transactions.
 *
 * <p>Each Ref owns one versioned write lock (no striping: unrelated Refs never conflict).
 * The lock word is {@code LOCKED | version}, {@code LOCKED} its sign bit; it keeps the version
 * while locked so that a committing transaction can still validate the Refs it has locked
 * itself. An unlocked word is its version, so "unlocked, at a version {@code <= rv}", a read's
 * test, is {@code 0 <= word <= rv}.
 *
 * <p>The class is not final only so that container slots ({@link TArray}, {@link TMap}) can
 * derive their {@link #label()} lazily; all operations are final.
 */
public class Ref<T> {

    /** The lock bit of the lock word: its sign bit. */
    static final long LOCKED = Long.MIN_VALUE;

    private static final VarHandle VALUE;
    private static final VarHandle WORD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE = lookup.findVarHandle(Ref.class, "value", Object.class);
            WORD = lookup.findVarHandle(Ref.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Committed value; written only by the lock holder, with release semantics. */
    @SuppressWarnings("unused") // accessed through VALUE
    private Object value;

    /** {@code LOCKED | version}; accessed through WORD. */
    @SuppressWarnings("unused")
    private long word;

    /**
     * The thread id of the transaction that took the lock last: while the lock is
     * held, its holder's. Plain field, a hint for conflict reports only (a committer recognises
     * its own locks by its write set). Written only when recording, once more than one thread
     * has used the STM ({@code Txn.keepsConflictHints}), and only when it changes: a thread that
     * commits the same Ref again stores nothing.
     * It used to be the holder's {@code Txn}, set after the lock CAS and cleared before the
     * release: a reference store with its GC barrier and a clear, twice per Ref a commit writes,
     * which with {@link #lastWriterThreadId} cost the 50 ns bank transfer 2 ns (4%) when recording.
     * Not cleared, so a reader that meets the lock in the few nanoseconds between its CAS and
     * this store may read the previous holder's id.
     */
    long lockerThreadId;

    /**
     * The last commit that wrote here; 0 if none, or not known (written before a second thread
     * used the STM). Plain, a hint for conflict reports, kept as {@link #lockerThreadId} is (only
     * when it changes): in the low 32 bits the committing thread's id; in the high 32 bits, once
     * the Ref is contended and the log records, what that commit did for the victims of that
     * write to record (whether the value changed, how long its attempt ran: see
     * {@link ConflictSites#commitOf}), 0 otherwise. Stored before the Ref is unlocked, and in
     * this one field: a field of its own made every Ref 8 bytes larger (72 bytes, past a cache
     * line).
     */
    long lastWrite;

    /**
     * Set once a conflict on this Ref has been recorded: from then on its write and read sites
     * are sampled, so that later conflicts can name the other side. Plain: a hint for recording.
     */
    boolean contended;

    /**
     * A recent sampled write site of this Ref (only once it is contended): the stack pool id in
     * the high 32 bits, the writing thread's id in the low 32, so that a conflict names it as
     * the other side only when that thread is the other side. One field: never torn.
     */
    long writeSite;

    /**
     * The id of this Ref in the log (0 until its first recorded conflict), and the id of a
     * thread whose next write of it the recorder wants as the other side of a conflict that
     * lacks one (0 for none). Plain: hints for recording.
     */
    int logId;
    int writerWanted;

    /** Random hash for the write set's open-addressing table (cheaper than identityHashCode). */
    final int hash;

    private final String label;

    public Ref(T initial) {
        this(initial, null);
    }

    /** @param label a name used in conflict reports (may be null) */
    public Ref(T initial, String label) {
        this.value = initial;
        this.label = label;
        this.hash = ThreadLocalRandom.current().nextInt();
        // Readers use acquire loads: make the initial value visible to them even if the Ref is
        // published racily, like a final field would be.
        VarHandle.releaseFence();
    }

    /** The label given at construction (null if none). */
    public String label() {
        return label;
    }

    // ---------------------------------------------------------------- public operations

    @SuppressWarnings("unchecked")
    public final T get() {
        Txn tx = CurrentTxn.get();
        return (T) (tx.active ? tx.read(this) : readCommitted());
    }

    /**
     * {@link #get()} in the transaction {@code tx}, given to the body of {@link Stm#run} or
     * {@link Stm#call}: the same read without looking the transaction up.
     *
     * @throws IllegalStateException if {@code tx}'s transaction is over
     */
    @SuppressWarnings("unchecked")
    public final T get(Txn tx) {
        return (T) tx.read(this);
    }

    /**
     * {@link #set(Object)} in the transaction {@code tx}, given to the body of {@link Stm#run}
     * or {@link Stm#call}.
     *
     * @throws IllegalStateException if {@code tx}'s transaction is over
     */
    public final void set(Txn tx, T newValue) {
        tx.write(this, newValue);
    }

    public final void set(T newValue) {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.write(this, newValue);
        } else {
            tx.runSingle(SingleOp.SET, this, newValue);
        }
    }

    /** Sets a new value and returns the previous one. */
    @SuppressWarnings("unchecked")
    public final T getAndSet(T newValue) {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            Object old = tx.read(this);
            tx.write(this, newValue);
            return (T) old;
        }
        return (T) tx.runSingle(SingleOp.GET_AND_SET, this, newValue);
    }

    /** Applies {@code fn} to the current value, stores and returns the result. */
    public final T update(UnaryOperator<T> fn) {
        return updateAndGet(fn);
    }

    /** Same as {@link #update}. */
    @SuppressWarnings("unchecked")
    public final T updateAndGet(UnaryOperator<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            T next = fn.apply((T) tx.read(this));
            tx.write(this, next);
            return next;
        }
        return (T) tx.runSingle(SingleOp.UPDATE_AND_GET, this, fn);
    }

    /** Applies {@code fn} to the current value, stores the result and returns the old value. */
    @SuppressWarnings("unchecked")
    public final T getAndUpdate(UnaryOperator<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            T old = (T) tx.read(this);
            tx.write(this, fn.apply(old));
            return old;
        }
        return (T) tx.runSingle(SingleOp.GET_AND_UPDATE, this, fn);
    }

    /**
     * A commutative update: {@code fn} is applied when the transaction commits, to the value
     * committed at that moment (under this Ref's lock), not to a value read earlier. The Ref is
     * not read, so transactions that only commute it never conflict with each other (nor with
     * any writer of it): use it for updates whose order does not matter, such as adding to a
     * count or a sum ({@link TCounter} is made of them).
     *
     * <ul>
     *   <li>Several commutes of one Ref in a transaction are applied in their order.</li>
     *   <li>A read of the Ref later in the same transaction ({@link #get()} and the other
     *       reading calls) turns its commutes into an ordinary update: the Ref is read, its
     *       functions applied to the value read, and the read returns that result, which is
     *       what the transaction commits; the Ref is then in the read set, so the transaction
     *       conflicts with concurrent writers of it, as any read must. (Clojure's {@code commute}
     *       returns an in-transaction value that the commit may not keep; this one is kept.)</li>
     *   <li>A commute of a Ref the transaction has read keeps that read's validation: if the Ref
     *       changes before the commit, the transaction conflicts and re-runs, so the function is
     *       applied to the value read.</li>
     *   <li>A commute after {@link #set} (or after a read of a commuted Ref) is applied to the
     *       buffered value at once; a {@code set} after a commute replaces it (the set's value
     *       is committed, the function is dropped).</li>
     *   <li>Outside a transaction it is its own transaction, like {@link #update}. In an
     *       inevitable transaction it is applied at commit the same way.</li>
     * </ul>
     *
     * {@code fn} must be a pure function of the value: it may run more than once (in re-runs
     * of the transaction) and runs while this Ref's commit lock is held; it must not access any
     * Ref ({@link IllegalStateException}). An exception it throws at commit rolls the
     * transaction back and propagates, as one thrown by the body would.
     */
    @SuppressWarnings("unchecked")
    public final void commute(UnaryOperator<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.commute(this, (UnaryOperator<Object>) (UnaryOperator<?>) fn);
        } else {
            tx.runSingle(SingleOp.COMMUTE, this, fn);
        }
    }

    /**
     * {@link #commute(UnaryOperator)} in the transaction {@code tx}, given to the body of
     * {@link Stm#run} or {@link Stm#call}.
     *
     * @throws IllegalStateException if {@code tx}'s transaction is over
     */
    @SuppressWarnings("unchecked")
    public final void commute(Txn tx, UnaryOperator<T> fn) {
        Objects.requireNonNull(fn, "fn");
        tx.commute(this, (UnaryOperator<Object>) (UnaryOperator<?>) fn);
    }

    @Override
    public String toString() {
        String l = label();
        return l == null ? "Ref@" + Integer.toHexString(System.identityHashCode(this)) : "Ref(" + l + ")";
    }

    // ---------------------------------------------------------------- core access (package)

    /**
     * Latest committed value, for reads outside any transaction. Waits while a committer holds
     * the lock, so that a sequence of such reads never sees half of a commit.
     */
    final Object readCommitted() {
        for (int i = 0;; i++) {
            long w1 = word();
            Object v = load();
            long w2 = word();
            if (w1 == w2 && (w1 & LOCKED) == 0) {
                return v;
            }
            Backoff.spin(i);
        }
    }

    /** The version in a lock word, locked or not. */
    static long version(long word) {
        return word & ~LOCKED;
    }

    final long word() {
        return (long) WORD.getAcquire(this);
    }

    /** Plain read, only for the lock holder. */
    final long wordPlain() {
        return (long) WORD.get(this);
    }

    final boolean tryLock(long expectedUnlocked) {
        return WORD.compareAndSet(this, expectedUnlocked, expectedUnlocked | LOCKED);
    }

    /** Unlocks (or re-versions) the Ref; release store, after the value store. */
    final void releaseWord(long newWord) {
        WORD.setRelease(this, newWord);
    }

    final Object valueAcquire() {
        return VALUE.getAcquire(this);
    }

    final void publishValue(Object v) {
        VALUE.setRelease(this, v);
    }

    /** The committed value (acquire), a {@link TLong}'s boxed: for the accesses that are not a TLong's own. */
    final Object load() {
        return this instanceof TLong t ? (Object) t.longAcquire() : valueAcquire();
    }

    /** Thread id of the last transaction that committed a write here (its low 32 bits), 0 if none or unknown. */
    final long lastWriterThreadId() {
        return lastWrite & 0xFFFF_FFFFL;
    }

    /** Thread id of the current lock holder, 0 if unlocked or unknown. Racy hint (see {@link #lockerThreadId}). */
    final long lockOwnerThreadId() {
        long holder = lockerThreadId;
        return (word() & LOCKED) != 0 ? holder : 0L;
    }
}
