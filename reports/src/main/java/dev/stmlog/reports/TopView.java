package dev.stmlog.reports;

import java.util.List;
import java.util.Locale;

/**
 * The ranked conflict table with the totals it comes from.
 *
 * @param grouping   how rows were formed
 * @param ranking    what ranks them
 * @param depth      frames per site
 * @param totalRows  rows before the limit was applied
 * @param merged     conflicts recorded without one of their sides, completed from the others
 *                   on the same object (and so counted in those rows)
 */
public record TopView(SummaryView summary, Grouping grouping, Ranking ranking, int depth, int totalRows,
                      long merged, List<SiteRow> sites) implements View {

    /** What makes a row ({@code stmlog top --by}). */
    public enum Grouping {
        SITE, PAIR, KIND, THREAD, REF;

        /** Whether a row's key is its victim's top frame, which its frames show already. */
        public boolean keyIsTopFrame() {
            return this == SITE || this == PAIR;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What ranks the rows, largest first ({@code stmlog top --sort}). */
    public enum Ranking {
        LOST, PAUSED, TOTAL, COUNT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TopView {
        sites = List.copyOf(sites);
    }

    /** {@link #grouping()}'s id: {@code site}, {@code pair}, {@code kind}, {@code thread} or {@code ref}. */
    public String groupBy() {
        return grouping.id();
    }

    /** {@link #ranking()}'s id: {@code lost}, {@code paused}, {@code total} or {@code count}. */
    public String sortBy() {
        return ranking.id();
    }
}
