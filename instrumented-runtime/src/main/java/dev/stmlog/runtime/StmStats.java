package dev.stmlog.runtime;

/**
 * A snapshot of the STM's global event counts since JVM start (see {@link Stm#stats()}).
 * Use {@link #minus} to measure an interval.
 *
 * @param commits                committed transactions (including read-only ones)
 * @param readOnlyCommits        committed transactions that wrote nothing
 * @param writeWriteAborts       attempts aborted because a Ref's write lock stayed held
 * @param writeReadAborts        attempts aborted because a Ref they read was changed
 * @param inevitableAborts       attempts aborted after waiting for an inevitable transaction
 * @param retries                explicit {@link Stm#retry()} waits
 * @param rollbacks              transactions rolled back by an exception from user code
 * @param inevitableTransactions times a transaction took the inevitable token (explicitly or
 *                               by contention-management escalation)
 */
public record StmStats(long commits, long readOnlyCommits, long writeWriteAborts, long writeReadAborts,
                       long inevitableAborts, long retries, long rollbacks, long inevitableTransactions) {

    /** All attempts aborted by a conflict (re-run automatically). */
    public long conflictAborts() {
        return writeWriteAborts + writeReadAborts + inevitableAborts;
    }

    /** The counts accumulated between {@code earlier} and this snapshot. */
    public StmStats minus(StmStats earlier) {
        return new StmStats(commits - earlier.commits, readOnlyCommits - earlier.readOnlyCommits,
                writeWriteAborts - earlier.writeWriteAborts, writeReadAborts - earlier.writeReadAborts,
                inevitableAborts - earlier.inevitableAborts, retries - earlier.retries,
                rollbacks - earlier.rollbacks, inevitableTransactions - earlier.inevitableTransactions);
    }
}
