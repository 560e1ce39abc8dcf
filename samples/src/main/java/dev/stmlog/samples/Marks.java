package dev.stmlog.samples;

import dev.stmlog.runtime.Stm;

/**
 * The one user mark of the samples: {@code Stm.mark("op", 1)} once per completed operation, in
 * every mode (serial and lock included), always outside any transaction (marks are not
 * transactional: one made in an attempt that aborts would be recorded all the same). With
 * {@code STM_LOG} unset it costs nothing.
 */
public final class Marks {
    /** The mark's name; {@code stmlog scale} counts these to compute throughput. */
    public static final String OP = "op";

    private Marks() {
    }

    public static void op() {
        Stm.mark(OP, 1);
    }
}
