package dev.stmlog.runtime;

/**
 * A transactional counter (a {@code long}, from 0) whose increments never conflict with each
 * other: it is a set of stripes, {@link Ref}s of {@code Long}, and {@link #add} commutes
 * ({@link Ref#commute}) the stripe chosen by the calling thread, which also spares concurrent
 * committers each other's stripe lock. {@link #get()} reads every stripe in the transaction and
 * returns their sum: a read of the whole count, which conflicts with a concurrent increment
 * exactly as a read of the sum must (and is consistent with the transaction's other reads).
 *
 * <p>Outside a transaction each call is its own transaction: {@link #get()} is one consistent
 * sum. Inside one, {@link #get()} after an {@link #add} of the same transaction includes it
 * (that stripe's pending addition then becomes an ordinary update, see {@link Ref#commute}).
 * Overflow wraps, as {@code long} arithmetic does.
 */
public final class TCounter {

    /** Stripes: a power of two, about twice the processors (2 to 64). */
    private static final int STRIPES =
            Math.min(64, Integer.highestOneBit(Math.max(2, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);

    private final Ref<Long>[] stripes;
    private final String label;

    public TCounter() {
        this(null);
    }

    /** @param label a name used in conflict reports (may be null); stripe {@code i} is {@code label#i} */
    public TCounter(String label) {
        this(label, STRIPES);
    }

    /** With {@code stripeCount} stripes, a power of two (tests use 1 or 2). */
    @SuppressWarnings("unchecked")
    TCounter(String label, int stripeCount) {
        if (stripeCount <= 0 || Integer.bitCount(stripeCount) != 1) {
            throw new IllegalArgumentException("stripes: a power of two, not " + stripeCount);
        }
        this.label = label;
        stripes = new Ref[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Ref<>(0L, label == null ? null : label + "#" + i);
        }
    }

    /** The label given at construction (null if none). */
    public String label() {
        return label;
    }

    /** Adds 1. */
    public void increment() {
        add(1);
    }

    /** Subtracts 1. */
    public void decrement() {
        add(-1);
    }

    /** Adds {@code delta}, as a commutative update of this thread's stripe: never conflicts with another {@code add}. */
    public void add(long delta) {
        Txn tx = CurrentTxn.get();
        Commutes.Add fn = new Commutes.Add(delta);
        if (tx.active) {
            tx.commute(stripe(tx), fn);
        } else {
            tx.runSingle(SingleOp.COMMUTE, stripe(tx), fn);
        }
    }

    /** {@link #add(long)} in the transaction {@code tx}, given to the body of {@link Stm#run} or {@link Stm#call}. */
    public void add(Txn tx, long delta) {
        tx.commute(stripe(tx), new Commutes.Add(delta));
    }

    /** The count: all stripes read in the transaction (outside one, in a transaction of its own). */
    public long get() {
        Txn tx = CurrentTxn.get();
        return tx.active ? get(tx) : Stm.call(this::get);
    }

    /** {@link #get()} in the transaction {@code tx}, given to the body of {@link Stm#run} or {@link Stm#call}. */
    public long get(Txn tx) {
        long sum = 0;
        for (Ref<Long> s : stripes) {
            sum += (Long) tx.read(s);
        }
        return sum;
    }

    private Ref<Long> stripe(Txn tx) {
        return stripes[(int) ((tx.threadId * 0x9E3779B97F4A7C15L) >>> 32) & (stripes.length - 1)];
    }

    @Override
    public String toString() {
        return label == null ? "TCounter@" + Integer.toHexString(System.identityHashCode(this)) : "TCounter(" + label + ")";
    }
}
