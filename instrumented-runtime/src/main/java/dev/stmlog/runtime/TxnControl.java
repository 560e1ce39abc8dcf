package dev.stmlog.runtime;

/**
 * The signal that unwinds user code when an attempt must end (conflict or {@link Stm#retry()}).
 * The reason is kept in the {@link Txn}, so one preallocated instance without stack trace
 * serves everyone and throwing it costs no allocation.
 *
 * <p>It is an {@link Error} so that ordinary {@code catch (Exception e)} blocks in user code
 * do not swallow it. Should user code swallow it anyway, the transaction stays doomed: its next
 * Ref access rethrows it and its commit fails.
 */
final class TxnControl extends Error {

    private static final long serialVersionUID = 1L;

    static final TxnControl SIGNAL = new TxnControl();

    private TxnControl() {
        super("stm control signal (must not be caught by user code)", null, false, false);
    }
}
