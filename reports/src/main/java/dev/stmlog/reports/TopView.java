package dev.stmlog.reports;

import java.util.List;

/**
 * The ranked conflict table with the totals it comes from.
 *
 * @param groupBy    how rows were formed ({@code site}, {@code pair}, {@code kind}, ...)
 * @param sortBy     what ranks them ({@code lost}, {@code paused}, {@code total}, {@code count})
 * @param depth      frames per site
 * @param totalRows  rows before the limit was applied
 * @param merged     conflicts recorded without one of their sides, completed from the others
 *                   on the same object (and so counted in those rows)
 */
public record TopView(SummaryView summary, String groupBy, String sortBy, int depth, int totalRows,
                      long merged, List<SiteRow> sites) implements View {

    public TopView {
        sites = List.copyOf(sites);
    }
}
