package dev.stmlog.format.event;

/** What a paused thread was waiting for. */
public enum WaitKind {
    /** Another transaction is inevitable. */
    INEVITABLE(1),
    /** A Ref's write lock held by a committing transaction. */
    LOCK(2),
    /** Contention management: backing off before the next attempt. */
    BACKOFF(3),
    /** {@code Stm.retry()}: until something the transaction read changes. */
    RETRY(4);

    private final int code;

    WaitKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or {@code null} when the code is not one of format version 1's. */
    public static WaitKind ofCode(int code) {
        for (WaitKind k : values()) {
            if (k.code == code) return k;
        }
        return null;
    }
}
