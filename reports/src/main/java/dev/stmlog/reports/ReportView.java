package dev.stmlog.reports;

import dev.stmlog.reports.export.StackProfile;

import java.util.List;

/**
 * Everything {@code stmlog report} draws: the ranked sites with their totals, the threads'
 * sampled time lines, the conflicts over time and the time lost by whole stack (a flame graph).
 *
 * @param spansPerThread at most this many spans are kept per thread
 * @param comparison     the comparison with a baseline ({@code report --baseline}), or null
 */
public record ReportView(TopView top, List<ThreadTimelineView> timelines, ConflictSeries conflicts,
                         int spansPerThread, StackProfile lostByStack, DiffView comparison) implements View {
    public ReportView {
        timelines = List.copyOf(timelines);
        java.util.Objects.requireNonNull(lostByStack, "lostByStack");
    }

    /** A report with no baseline. */
    public ReportView(TopView top, List<ThreadTimelineView> timelines, ConflictSeries conflicts, int spansPerThread,
                      StackProfile lostByStack) {
        this(top, timelines, conflicts, spansPerThread, lostByStack, null);
    }

    public SummaryView summary() {
        return top.summary();
    }
}
