package dev.stmlog.reports;

import java.util.Locale;
import java.util.Objects;

/**
 * A short suggestion for one row of the conflict table, given when the analysis recognised the
 * conflict's shape from what the log holds (it never guesses: no hint when it could not tell).
 * Reports only draw it; which evidence makes which hint is the analyzer's business.
 *
 * @param kind what was recognised
 * @param text the suggestion, one line, naming the lines it is about
 */
public record Hint(Kind kind, String text) {

    /** The shapes a hint is given for. */
    public enum Kind {
        /** The same read-and-write of a Ref on both sides: a counter or a statistic. */
        COMMUTE,
        /** Waits for a transaction that called {@code Stm.inevitable()}. */
        AFTER_COMMIT,
        /** Waits for a transaction the runtime made inevitable after it kept aborting. */
        MADE_INEVITABLE,
        /** A whole-map read of a {@code TMap} (its presence stripes) against inserts and removals. */
        WHOLE_MAP_READ,
        /** The other side's writes stored the value the object already held (a cache re-filled). */
        WRITE_IF_CHANGED,
        /** A long transaction that read the object early, aborted by short writers of it. */
        READ_LAST,
        /** Lock waits with no conflict recorded. */
        WAIT_LOCK,
        /** Backoff pauses after aborts with no conflict recorded. */
        WAIT_BACKOFF,
        /** {@code Stm.retry()} waiting for a change. */
        WAIT_RETRY,
        /** Waits for an inevitable transaction with no conflict recorded. */
        WAIT_INEVITABLE;

        /** As the JSON and CSV write it: {@code commute}, {@code after_commit}, {@code wait_lock}... */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Hint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
