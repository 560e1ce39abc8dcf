package dev.stmlog.format.event;

/**
 * What the other side's write did to a contended object's value, as the victim of a
 * {@link Contention} learnt it: the commit of the other side that last wrote the object, when
 * the recorder could tell that commit from others ({@link #NOT_KNOWN} when not).
 */
public enum ValueChange {
    /** The other side's commit of the object was not identified (or the log predates the field). */
    NOT_KNOWN(0),
    /**
     * The commit was identified, but its new value could not be compared with the old one: not
     * the same object, and not of a type whose {@code equals} the recorder calls.
     */
    NOT_COMPARED(1),
    /** The commit stored a value different from the one it replaced. */
    CHANGED(2),
    /** The commit stored the value it replaced: the same object, or an equal boxed primitive or string. */
    UNCHANGED(3);

    private final int code;

    ValueChange(int code) {
        this.code = code;
    }

    /** Its code in bits 1–2 of a CONTENTION's {@code flags}. */
    public int code() {
        return code;
    }

    private static final ValueChange[] BY_CODE = values();

    /** The change for a two-bit code (every code 0–3 is one). */
    public static ValueChange ofCode(int code) {
        return BY_CODE[code & 3];
    }
}
