package dev.stmlog.reports;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.StringJoiner;

/**
 * Writes reports as CSV (RFC 4180, with a header row). Times are seconds in exact decimals;
 * several frames in one cell are joined by {@value #FRAME_SEPARATOR}.
 */
public final class CsvReportWriter extends ReportWriter {
    public static final String FRAME_SEPARATOR = " | ";

    // other_source_line and hint are last, not beside what they belong with: a column added at the
    // end leaves every older column where scripts that read by position expect it
    static final String[] SITE_HEADER = {"rank", "kind", "key", "count", "lost_s", "paused_s", "total_s",
            "frames", "other_frames", "other_variants", "source_line", "timeline", "other_source_line", "hint"};
    static final String[] THREAD_HEADER = {"thread", "name", "committed", "aborted", "committed_s", "aborted_s",
            "paused_s", "total_s"};

    static final String[] SPAN_HEADER = {"thread", "name", "start_s", "end_s", "duration_s", "outcome"};
    static final String[] CONFLICT_HEADER = {"from_s", "to_s", "kind", "conflicts"};
    static final String[] SCALE_HEADER = {"mode", "threads", "baseline", "throughput_per_s", "throughput_from",
            "operations", "measured_s", "speedup_vs_1_thread", "speedup_vs_serial", "wall_s", "marks", "committed",
            "aborted", "committed_s", "aborted_s", "paused_s", "file"};

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

    public CsvReportWriter() {
        super("csv");
        writes(SummaryView.class, this::writeSummary);
        writes(TopView.class, this::writeTop);
        writes(ScaleView.class, this::writeScale);
        writes(DiffView.class, DiffCsv::write);
    }

    /** One row per site, in rank order. */
    public void writeTop(TopView top, Appendable out) {
        try {
            // not closed: closing a printer closes the caller's stream
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(SITE_HEADER).build());
            for (SiteRow r : top.sites()) {
                StringJoiner timeline = new StringJoiner(" ");
                for (int c : r.timeline()) timeline.add(Integer.toString(c));
                p.printRecord(r.rank(), r.kind().label(), r.key(), r.count(), Units.seconds(r.lostNanos()),
                        Units.seconds(r.pausedNanos()), Units.seconds(r.totalNanos()),
                        String.join(FRAME_SEPARATOR, r.frames()), String.join(FRAME_SEPARATOR, r.otherFrames()),
                        r.otherVariants(), r.sourceLine() == null ? "" : r.sourceLine(), timeline.toString(),
                        r.otherSourceLine() == null ? "" : r.otherSourceLine(),
                        r.hint() == null ? "" : r.hint().text());
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row per thread, then a row {@code *} with the totals. */
    public void writeSummary(SummaryView s, Appendable out) {
        try {
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(THREAD_HEADER).build());
            for (ThreadRow t : s.threads()) printTransactions(p, t.id(), t.name(), t.transactions());
            printTransactions(p, "*", "", s.transactions());
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void printTransactions(CSVPrinter p, String thread, String name, TransactionTotals t)
            throws IOException {
        p.printRecord(thread, name, t.committed(), t.aborted(), Units.seconds(t.committedNanos()),
                Units.seconds(t.abortedNanos()), Units.seconds(t.pausedNanos()), Units.seconds(t.totalNanos()));
    }

    /** The threads' sampled spans (transactions and waits), one row each, thread by thread. */
    public void writeSpans(java.util.List<ThreadTimelineView> threads, Appendable out) {
        try {
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(SPAN_HEADER).build());
            for (ThreadTimelineView t : threads) {
                for (SpanView s : t.spans()) {
                    p.printRecord(t.id(), t.name(), Units.seconds(s.startNanos()), Units.seconds(s.endNanos()),
                            Units.seconds(s.endNanos() - s.startNanos()), s.outcome().label());
                }
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Conflicts over time: one row per column and kind. */
    public void writeConflicts(ConflictSeries series, Appendable out) {
        try {
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(CONFLICT_HEADER).build());
            long width = series.columnNanos();
            for (java.util.Map.Entry<String, int[]> e : series.byKind().entrySet()) {
                int[] v = e.getValue();
                for (int i = 0; i < v.length; i++) {
                    long from = series.fromNanos() + i * width;
                    p.printRecord(Units.seconds(from), Units.seconds(from + width), e.getKey(), v[i]);
                }
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scaling table; speed-ups empty when there is nothing to compare with. */
    public void writeScale(ScaleView view, Appendable out) {
        try {
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(SCALE_HEADER).build());
            for (ScaleRun r : view.runs()) {
                TransactionTotals t = r.transactions();
                p.printRecord(r.mode(), r.threads(), r.baseline(), raw(r.throughput()), r.from(), r.operations(),
                        Units.seconds(r.measuredNanos()), raw(view.speedupVsOneThread(r)), raw(view.speedupVsBaseline(r)), Units.seconds(r.wallNanos()),
                        r.marks(), t.committed(), t.aborted(), Units.seconds(t.committedNanos()),
                        Units.seconds(t.abortedNanos()), Units.seconds(t.pausedNanos()), r.file());
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String raw(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return "";
        return new java.math.BigDecimal(x).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
