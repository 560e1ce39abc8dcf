package dev.stmlog.format.event;

/** How a thread accessed a contended object at an {@link AccessSite}. */
public enum AccessKind {
    READ(1),
    WRITE(2);

    private final int code;

    AccessKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or {@code null} when the code is unknown. */
    public static AccessKind ofCode(int code) {
        for (AccessKind k : values()) {
            if (k.code == code) return k;
        }
        return null;
    }
}
