package dev.stmlog.analyzer;

/** What makes one row of the conflict table ({@code --by}). Every row also has a kind. */
public enum Grouping {
    /** The victim's top frames (as many as {@code --depth}). */
    SITE,
    /** The victim's top frames and the other side's. */
    PAIR,
    /** The kind alone. */
    KIND,
    /** The victim thread. */
    THREAD,
    /** The contended object's label. */
    REF
}
