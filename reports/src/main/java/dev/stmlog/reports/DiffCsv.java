package dev.stmlog.reports;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@link CsvReportWriter}'s {@link DiffView}: one row per compared row, in rank order, with both
 * sides' figures and their change ({@link #HEADER}; columns are only ever added, at the end).
 * Times are seconds in exact decimals; a percentage is empty when the base is 0.
 */
final class DiffCsv {
    static final String[] HEADER = {"rank", "status", "kind", "key",
            "count_base", "count_new", "count_change", "count_change_pct",
            "lost_s_base", "lost_s_new", "lost_change_s", "lost_change_pct",
            "paused_s_base", "paused_s_new", "paused_change_s", "paused_change_pct",
            "total_s_base", "total_s_new", "total_change_s", "total_change_pct",
            "frames", "other_frames"};

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

    private DiffCsv() {}

    static void write(DiffView d, Appendable out) {
        try {
            // not closed: closing a printer closes the caller's stream
            CSVPrinter p = new CSVPrinter(out, FORMAT.builder().setHeader(HEADER).build());
            for (DiffView.SiteChange s : d.sites()) {
                DiffView.Figures b = s.base(), n = s.current();
                p.printRecord(s.rank(), s.status().id(), s.kind().label(), s.key(),
                        b.count(), n.count(), n.count() - b.count(), percent(b.count(), n.count()),
                        Units.seconds(b.lostNanos()), Units.seconds(n.lostNanos()),
                        Units.seconds(n.lostNanos() - b.lostNanos()), percent(b.lostNanos(), n.lostNanos()),
                        Units.seconds(b.pausedNanos()), Units.seconds(n.pausedNanos()),
                        Units.seconds(n.pausedNanos() - b.pausedNanos()), percent(b.pausedNanos(), n.pausedNanos()),
                        Units.seconds(b.totalNanos()), Units.seconds(n.totalNanos()),
                        Units.seconds(n.totalNanos() - b.totalNanos()), percent(b.totalNanos(), n.totalNanos()),
                        String.join(CsvReportWriter.FRAME_SEPARATOR, s.frames()),
                        String.join(CsvReportWriter.FRAME_SEPARATOR, s.otherFrames()));
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String percent(long base, long current) {
        Double p = DiffView.percentChange(base, current);
        if (p == null) return "";
        return new BigDecimal(p).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
