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
public final class CsvReportWriter {
    public static final String FRAME_SEPARATOR = " | ";

    static final String[] SITE_HEADER = {"rank", "kind", "key", "count", "lost_s", "paused_s", "total_s",
            "frames", "other_frames", "other_variants", "source_line", "timeline"};
    static final String[] THREAD_HEADER = {"thread", "name", "committed", "aborted", "committed_s", "aborted_s",
            "paused_s", "total_s"};

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

    /** One row per site, in rank order. */
    public void writeTop(TopView top, Appendable out) {
        try {
            // not closed: closing a printer closes the caller's stream
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(SITE_HEADER).build());
            for (SiteRow r : top.sites()) {
                StringJoiner timeline = new StringJoiner(" ");
                for (int c : r.timeline()) timeline.add(Integer.toString(c));
                p.printRecord(r.rank(), r.kind(), r.key(), r.count(), Units.seconds(r.lostNanos()),
                        Units.seconds(r.pausedNanos()), Units.seconds(r.totalNanos()),
                        String.join(FRAME_SEPARATOR, r.frames()), String.join(FRAME_SEPARATOR, r.otherFrames()),
                        r.otherVariants(), r.sourceLine() == null ? "" : r.sourceLine(), timeline.toString());
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
            for (ThreadRow t : s.threads()) {
                p.printRecord(t.id(), t.name(), t.committed(), t.aborted(), Units.seconds(t.committedNanos()),
                        Units.seconds(t.abortedNanos()), Units.seconds(t.pausedNanos()), Units.seconds(t.totalNanos()));
            }
            p.printRecord("*", "", s.committed(), s.aborted(), Units.seconds(s.committedNanos()),
                    Units.seconds(s.abortedNanos()), Units.seconds(s.pausedNanos()),
                    Units.seconds(s.transactionNanos()));
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
