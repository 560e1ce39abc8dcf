package dev.stmlog.samples;

import dev.stmlog.runtime.Stm;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * How a sample runs its operations. Every sample is written once, against {@link Tx#atomic},
 * and the mode decides what "atomic" means:
 * <ul>
 *   <li>{@link #STM}: a transaction of the runtime ({@link Stm#atomic}); N threads;</li>
 *   <li>{@link #SERIAL}: nothing at all, on one thread, over plain fields and collections: the
 *       baseline a user would otherwise keep, and the yardstick of the STM's single-thread cost;</li>
 *   <li>{@link #LOCK}: one global lock around each operation, from N threads: the simplest
 *       correct parallel program, which serializes everything.</li>
 * </ul>
 *
 * <p>{@code mode.tx()} is a method reference ({@code Stm::atomic} in stm mode), not a wrapper
 * method: a conflict found at commit is charged to the caller of {@code Stm.atomic}, and with
 * no wrapper frame in between that caller is the sample's own code (see {@link Shared}).
 */
public enum Mode {
    STM(Stm::atomic, Stm::call), SERIAL(Supplier::get, Mode::withoutTxn), LOCK(Mode::underGlobalLock, Mode::underGlobalLockWithoutTxn);

    /** Runs a body as one operation of the mode and returns its result. */
    @FunctionalInterface
    public interface Tx {
        <T> T atomic(Supplier<T> body);
    }

    /**
     * {@link Tx}, for a body that is handed its transaction ({@link Stm#call} in stm mode), to
     * pass on to the accesses of a hot loop (see {@link Shared.Cells#readIn}); null in the other
     * modes, which have none.
     */
    @FunctionalInterface
    public interface TxCall {
        <T> T call(Stm.TxCallable<T> body);
    }

    /** The global lock of {@link #LOCK} mode: one for the whole program, on purpose. */
    private static final Object GLOBAL_LOCK = new Object();

    private final Tx tx;
    private final TxCall txCall;

    Mode(Tx tx, TxCall txCall) {
        this.tx = tx;
        this.txCall = txCall;
    }

    /** What "atomic" means in this mode. */
    public Tx tx() {
        return tx;
    }

    /** What "atomic" means in this mode, for a body given the transaction (null outside stm mode). */
    public TxCall txCall() {
        return txCall;
    }

    private static <T> T underGlobalLock(Supplier<T> body) {
        synchronized (GLOBAL_LOCK) {
            return body.get();
        }
    }

    private static <T> T withoutTxn(Stm.TxCallable<T> body) {
        return body.call(null);
    }

    private static <T> T underGlobalLockWithoutTxn(Stm.TxCallable<T> body) {
        synchronized (GLOBAL_LOCK) {
            return body.call(null);
        }
    }

    /** Whether shared state must be transactional (Ref, TArray, TMap) rather than plain. */
    public boolean transactional() {
        return this == STM;
    }

    /** The name used on the command line, in the RESULT line and in the log's metadata. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.label().equals(s)) {
                return m;
            }
        }
        throw new UsageException("bad --mode '" + s + "' (expected stm, serial or lock)");
    }
}
