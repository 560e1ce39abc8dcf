package dev.stmlog.analyzer.pypy;

import java.util.Arrays;

/**
 * One entry of the scripts' conflict table while the pass runs. Mutable on purpose: it is added
 * to on every charged record. {@link #freeze} turns it into an immutable {@link PypyConflict}.
 */
final class ConflictAccumulator {
    final int keyId;
    final int creation; // first-CHARGE order, the tie breaker (reference §2.8)
    double aborted;
    double paused;
    long count;
    // exact times: the time line's buckets depend on the last timestamp, known only at the end
    private double[] timestamps = new double[8];

    ConflictAccumulator(int keyId, int creation) {
        this.keyId = keyId;
        this.creation = creation;
    }

    /** CHARGE: one more occurrence at {@code ts}. */
    void occur(double ts) {
        if (count == timestamps.length) timestamps = Arrays.copyOf(timestamps, timestamps.length * 2);
        timestamps[(int) count++] = ts;
    }

    PypyConflict freeze(MarkerTable keys, PypyGeneration generation) {
        int code = keys.code(keyId);
        return new PypyConflict(code, generation.eventName(code), keys.marker1(keyId), keys.marker2(keyId),
                aborted, paused, count, Arrays.copyOf(timestamps, (int) count), creation);
    }
}
