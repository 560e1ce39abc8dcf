package dev.stmlog.reports;

import java.util.List;

/**
 * Everything {@code stmlog report} draws: the ranked sites with their totals, the threads'
 * sampled time lines and the conflicts over time.
 *
 * @param spansPerThread at most this many spans are kept per thread
 */
public record ReportView(TopView top, List<ThreadTimelineView> timelines, ConflictSeries conflicts,
                         int spansPerThread) implements View {
    public ReportView {
        timelines = List.copyOf(timelines);
    }

    public SummaryView summary() {
        return top.summary();
    }
}
