package dev.stmlog.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A transactional {@code long}: a {@link Ref Ref&lt;Long&gt;} that holds its value unboxed, in
 * the Ref and in the transaction's write set, so that {@link #getLong(Txn)} and
 * {@link #setLong(Txn, long)} allocate nothing. A {@code Ref<Long>} write allocates a
 * {@code Long} per new value (16 bytes, 4 to 7 ns of a bank transfer's 50 when two accounts are
 * written: see the module README).
 *
 * <pre>{@code
 * TLong from = new TLong(100, "from"), to = new TLong(0, "to");
 * Stm.run(tx -> {
 *     from.setLong(tx, from.getLong(tx) - 10);
 *     to.setLong(tx, to.getLong(tx) + 10);
 * });
 * }</pre>
 *
 * <p>It is a {@code Ref<Long>} in every other respect: the same lock word, conflicts, recording
 * and semantics, and the inherited operations ({@code get()}, {@code set(Long)},
 * {@code update}, {@code commute}, ...) work on it, boxing the value; the two kinds of access
 * mix freely in a transaction. Its value is never null: writing null (by {@code set(null)} or
 * a function that returns null) throws {@link NullPointerException} in the transaction, which
 * rolls it back. A commute of it commits like any other (boxed); {@link TCounter} stays made of
 * {@code Ref<Long>} stripes, whose commutes are what it needs.
 */
public final class TLong extends Ref<Long> {

    private static final VarHandle LONG_VALUE;

    static {
        try {
            LONG_VALUE = MethodHandles.lookup().findVarHandle(TLong.class, "longValue", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Committed value (Ref's {@code value} stays null); written only by the lock holder, with release semantics. */
    @SuppressWarnings("unused") // accessed through LONG_VALUE
    private long longValue;

    public TLong(long initial) {
        this(initial, null);
    }

    /** @param label a name used in conflict reports (may be null) */
    public TLong(long initial, String label) {
        super(null, label);
        this.longValue = initial;
        VarHandle.releaseFence(); // as Ref's constructor: visible to acquiring readers
    }

    /** The value: in the running transaction, else the latest committed one. */
    public long getLong() {
        Txn tx = CurrentTxn.get();
        return tx.active ? tx.readLong(this) : readCommittedLong();
    }

    /**
     * {@link #getLong()} in the transaction {@code tx}, given to the body of {@link Stm#run} or
     * {@link Stm#call}.
     *
     * @throws IllegalStateException if {@code tx}'s transaction is over
     */
    public long getLong(Txn tx) {
        return tx.readLong(this);
    }

    /** Sets the value: in the running transaction, else as a transaction of its own. */
    public void setLong(long newValue) {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.writeLong(this, newValue);
        } else {
            tx.runSingle(SingleOp.SET, this, newValue);
        }
    }

    /**
     * {@link #setLong(long)} in the transaction {@code tx}, given to the body of {@link Stm#run}
     * or {@link Stm#call}.
     *
     * @throws IllegalStateException if {@code tx}'s transaction is over
     */
    public void setLong(Txn tx, long newValue) {
        tx.writeLong(this, newValue);
    }

    @Override
    public String toString() {
        String l = label();
        return l == null ? "TLong@" + Integer.toHexString(System.identityHashCode(this)) : "TLong(" + l + ")";
    }

    // ---------------------------------------------------------------- core access (package)

    /** As {@link Ref#readCommitted}, unboxed. */
    long readCommittedLong() {
        for (int i = 0;; i++) {
            long w1 = word();
            long v = longAcquire();
            long w2 = word();
            if (w1 == w2 && (w1 & LOCKED) == 0) {
                return v;
            }
            Backoff.spin(i);
        }
    }

    long longAcquire() {
        return (long) LONG_VALUE.getAcquire(this);
    }

    void publishLong(long v) {
        LONG_VALUE.setRelease(this, v);
    }
}
