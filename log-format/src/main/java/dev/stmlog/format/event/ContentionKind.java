package dev.stmlog.format.event;

/** What two transactions contended for. */
public enum ContentionKind {
    /** Both wrote the same Ref; the victim found it locked or already rewritten. */
    WRITE_WRITE(1),
    /** The victim had read a Ref that the other side then changed and committed. */
    WRITE_READ(2),
    /** The victim had to wait for, or was blocked by, an inevitable transaction. */
    INEVITABLE(3);

    private final int code;

    ContentionKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or {@code null} when the code is not one of format version 1's. */
    public static ContentionKind ofCode(int code) {
        for (ContentionKind k : values()) {
            if (k.code == code) return k;
        }
        return null;
    }
}
