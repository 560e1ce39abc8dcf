package dev.stmlog.agent.scalastm;

import dev.stmlog.format.event.ContentionKind;

/**
 * The categories of ScalaSTM's {@code OptimisticFailureCause(category, trigger)}, as CCSTM 0.9.1
 * names them (the symbols of {@code InTxnImpl} and {@code InTxnRefOps}), each with the stmlog
 * contention it is, or none: the agent's README has the table with the reasons.
 */
enum OptimisticCategory {
    /** A ref read by the attempt has a newer version (another transaction committed a write of it). */
    STALE_READ("stale_read", ContentionKind.WRITE_READ),
    /** A ref read by the attempt is being written outside any transaction ({@code Ref.View.set}...). */
    READ_VS_NONTXN_WRITE("read_vs_nontxn_write", ContentionKind.WRITE_READ),
    /** A ref read by the attempt is locked by a transaction that is committing a write of it. */
    READ_VS_PENDING_COMMIT("read_vs_pending_commit", ContentionKind.WRITE_READ),
    /** {@code getWith}'s value, read without recording the ref, no longer holds at commit. */
    INVALID_GET_WITH("invalid_getWith", ContentionKind.WRITE_READ),
    /** {@code relaxedGet}'s value no longer passes its equivalence test at commit. */
    INVALID_RELAXED_GET("invalid_relaxed_get", ContentionKind.WRITE_READ),
    /** An {@code unrecordedRead} that the program then asked to be recorded had changed. */
    LATE_INVALID_UNRECORDED_READ("late_invalid_unrecordedRead", ContentionKind.WRITE_READ),
    /** The attempt wanted a ref that a transaction of higher (or equal) priority owns (writes it). */
    OWNER_HAS_PRIORITY("owner_has_priority", ContentionKind.WRITE_WRITE),
    /** The attempt wanted a ref whose owner was past the point where it could be stolen (preparing). */
    OWNER_IS_PREPARING("owner_is_preparing", ContentionKind.WRITE_WRITE),
    /** The attempt wanted a ref whose owner was committing. */
    OWNER_IS_COMMITTING("owner_is_committing", ContentionKind.WRITE_WRITE),
    /** Another transaction, of higher priority, wanted a ref this attempt owned and rolled it back. */
    STEAL_BY_HIGHER_PRIORITY("steal_by_higher_priority", ContentionKind.WRITE_WRITE),
    /** ScalaSTM's own re-run: a nested block's exception needs a partial rollback that subsumption cannot do. */
    RESTART_TO_ENABLE_PARTIAL_ROLLBACK("restart_to_enable_partial_rollback", null),
    /** ScalaSTM's own re-run: the program asked for the current nesting level while nesting was subsumed. */
    RESTART_TO_MATERIALIZE_CURRENT_LEVEL("restart_to_materialize_current_level", null),
    /** The transaction's {@code ExternalDecider} decided against committing. */
    EXTERNAL_DECISION("external_decision", null);

    final String symbol;
    /** The contention it is, null when it is no conflict with another transaction. */
    final ContentionKind kind;

    OptimisticCategory(String symbol, ContentionKind kind) {
        this.symbol = symbol;
        this.kind = kind;
    }

    /** The category of that symbol's name, null for one this version of the agent does not know. */
    static OptimisticCategory of(String symbol) {
        for (OptimisticCategory c : values()) {
            if (c.symbol.equals(symbol)) return c;
        }
        return null;
    }
}
