package dev.stmlog.reports;

import dev.stmlog.reports.export.StackProfile;

import java.util.List;

/**
 * Everything {@code stmlog report} draws: the ranked sites with their totals, the threads'
 * sampled time lines, the conflicts over time and the time lost by whole stack (a flame graph).
 *
 * @param spansPerThread at most this many spans are kept per thread
 */
public record ReportView(TopView top, List<ThreadTimelineView> timelines, ConflictSeries conflicts,
                         int spansPerThread, StackProfile lostByStack) implements View {
    public ReportView {
        timelines = List.copyOf(timelines);
        java.util.Objects.requireNonNull(lostByStack, "lostByStack");
    }

    public SummaryView summary() {
        return top.summary();
    }
}
