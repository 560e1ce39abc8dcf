package dev.stmlog.reports;

import java.util.Objects;

/**
 * What a row of the conflict table counts: contentions of one kind, or the aborts or waits that
 * no contention explains, by their cause or wait kind.
 *
 * @param origin what the row's events are
 * @param name   the contention kind ({@code WRITE_WRITE}), abort cause ({@code CONFLICT}) or
 *               wait kind ({@code LOCK}), as the log names it
 */
public record RowKind(Origin origin, String name) {

    public enum Origin {
        /** Contentions: the rows that have sites. */
        CONTENTION(""),
        /** Aborts with no contention recorded before them in their attempt. */
        UNEXPLAINED_ABORT("ABORT_"),
        /** Waits with no contention recorded before them. */
        UNEXPLAINED_WAIT("WAIT_");

        private final String prefix;

        Origin(String prefix) {
            this.prefix = prefix;
        }
    }

    public RowKind {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
    }

    public static RowKind contention(String name) {
        return new RowKind(Origin.CONTENTION, name);
    }

    /** True for the rows of aborts and waits that no contention explains (their site is unknown). */
    public boolean unexplained() {
        return origin != Origin.CONTENTION;
    }

    /** As every format writes it: {@code WRITE_WRITE}, {@code ABORT_CONFLICT}, {@code WAIT_LOCK}. */
    public String label() {
        return origin.prefix + name;
    }

    @Override
    public String toString() {
        return label();
    }
}
