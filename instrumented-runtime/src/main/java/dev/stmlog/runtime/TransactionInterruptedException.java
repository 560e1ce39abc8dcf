package dev.stmlog.runtime;

/**
 * Thrown by {@link Stm#atomic} when the thread is interrupted while the transaction is blocked
 * in {@link Stm#retry()}. The transaction has been rolled back; the thread's interrupt status
 * is set again.
 */
public class TransactionInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransactionInterruptedException() {
        super("interrupted while blocked in Stm.retry(); transaction rolled back");
    }
}
