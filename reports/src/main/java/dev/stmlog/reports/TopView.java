package dev.stmlog.reports;

import java.util.List;

/**
 * The ranked conflict table with the totals it comes from.
 *
 * @param groupBy    how rows were formed ({@code site}, {@code pair}, {@code kind}, ...)
 * @param sortBy     what ranks them ({@code lost}, {@code paused}, {@code total}, {@code count})
 * @param depth      frames per site
 * @param totalRows  rows before the limit was applied
 */
public record TopView(SummaryView summary, String groupBy, String sortBy, int depth, int totalRows,
                      List<SiteRow> sites) {

    public TopView {
        sites = List.copyOf(sites);
    }
}
