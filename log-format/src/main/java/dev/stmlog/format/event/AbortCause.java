package dev.stmlog.format.event;

/** Why a transaction attempt was rolled back. */
public enum AbortCause {
    /** Another transaction's access conflicted; a {@link Contention} event says which. */
    CONFLICT(1),
    /** The transaction called {@code Stm.retry()} and waits for something it read to change. */
    EXPLICIT_RETRY(2),
    /** The user's code threw; the attempt was rolled back and the exception propagated. */
    EXCEPTION(3);

    private final int code;

    AbortCause(int code) {
        this.code = code;
    }

    /** The byte that stands for this cause in the log (see FORMAT.md). */
    public int code() {
        return code;
    }

    /** The cause for a code, or {@code null} when the code is not one of format version 1's. */
    public static AbortCause ofCode(int code) {
        for (AbortCause c : values()) {
            if (c.code == code) return c;
        }
        return null;
    }
}
