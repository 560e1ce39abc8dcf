package dev.stmlog.reports;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes reports as text for a terminal: the totals, a table of threads, ranked sites. */
public final class TextReportWriter extends ReportWriter {
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    private static final int NAME_WIDTH = 20;

    private final TextOptions options;

    public TextReportWriter(TextOptions options) {
        super("text");
        this.options = options;
        writes(SummaryView.class, (v, out) -> writeSummary(v, printWriter(out)));
        writes(TopView.class, (v, out) -> writeTop(v, printWriter(out)));
        writes(CheckView.class, (v, out) -> writeCheck(v, printWriter(out)));
        writes(EventRow.class, (v, out) -> writeEvent(v, printWriter(out)));
        writes(ScaleView.class, (v, out) -> writeScale(v, printWriter(out)));
        writes(DiffView.class, (v, out) -> new DiffText(options).write(v, printWriter(out)));
    }

    /** {@code out} itself when it is a PrintWriter (a terminal's, or a pager's); else a PrintWriter onto it. */
    private static PrintWriter printWriter(Appendable out) {
        if (out instanceof PrintWriter p) return p;
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                out.append(java.nio.CharBuffer.wrap(chars, off, len));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    /** The totals and one line per thread. */
    public void writeSummary(SummaryView s, PrintWriter out) {
        header(s, out);
        out.println();
        threads(s, out);
        out.flush();
    }

    /** The totals, the threads, then the ranked sites with their frames and time lines. */
    public void writeTop(TopView top, PrintWriter out) {
        SummaryView s = top.summary();
        header(s, out);
        out.println();
        threads(s, out);
        out.println();
        String what = switch (top.grouping()) {
            case SITE -> top.depth() == 1 ? "sites" : "sites (" + top.depth() + " frames)";
            case PAIR -> "site pairs";
            case KIND -> "kinds";
            case THREAD -> "threads";
            case REF -> "contended objects";
        };
        String by = switch (top.ranking()) {
            case LOST -> "time lost in aborts";
            case PAUSED -> "time paused";
            case TOTAL -> "time lost and paused";
            case COUNT -> "count";
        };
        if (top.sites().isEmpty()) {
            out.println(bold("No conflicts" + (top.totalRows() == 0 ? "." : " in the first rows.")));
            out.flush();
            return;
        }
        out.println(bold("Top " + top.sites().size() + " of " + count(top.totalRows()) + " " + what + ", by " + by + ":"));
        if (top.merged() > 0) {
            out.println(count(top.merged()) + (top.merged() == 1 ? " conflict" : " conflicts")
                    + " recorded without one of their sides counted with the others on the same object.");
        }
        for (SiteRow r : top.sites()) {
            out.println();
            site(r, top.grouping(), out);
        }
        out.flush();
    }

    /** What an integrity check found, file by file, and a verdict. */
    public void writeCheck(CheckView check, PrintWriter out) {
        for (CheckView.FileCheck f : check.files()) {
            out.println(bold(f.file()) + "  (" + count(f.sizeBytes()) + " bytes)");
            for (Map.Entry<String, String> e : f.header().entrySet()) {
                out.println(String.format(Locale.ROOT, "  %-16s %s", e.getKey() + ":", e.getValue()));
            }
            out.println(String.format(Locale.ROOT, "  %-16s %s chunks, %s records, %s events, %s of unknown types",
                    "content:", count(f.chunks()), count(f.records()), count(f.events()), count(f.unknownRecords())));
            out.println(String.format(Locale.ROOT, "  %-16s %s", "clean close:", f.cleanClose()
                    ? "yes (the writer recorded " + count(f.trailerEvents()) + " events)" : "no (no trailer)"));
            DamageView d = f.damage();
            out.println(String.format(Locale.ROOT, "  %-16s %s", "data loss:", d.eventsLost() == 0
                    ? "none reported by the writer" : count(d.eventsLost()) + " events dropped by the writer"));
            if (f.unresolvedReferences() > 0) {
                out.println(String.format(Locale.ROOT, "  %-16s %s", "references:",
                        count(f.unresolvedReferences()) + " to pool entries that were lost"));
            }
            if (d.notes().isEmpty()) {
                out.println(String.format(Locale.ROOT, "  %-16s %s", "damage:", "none"));
            } else {
                out.println(String.format(Locale.ROOT, "  %-16s %s bytes skipped, %s chunks missing, %s malformed records%s",
                        "damage:", count(d.bytesSkipped()), count(d.missingChunks()), count(d.malformedRecords()),
                        d.truncated() ? ", truncated" : ""));
                for (String note : d.notes()) out.println("    - " + note);
            }
            out.println("  " + bold(f.isClean() ? "clean" : "DAMAGED: the events above were recovered; the rest is lost"));
            out.println();
        }
        out.flush();
    }

    /** One event on one line: time, thread, type and fields. */
    public void writeEvent(EventRow e, PrintWriter out) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%14s  %-8s %-14s %-12s", Units.seconds(e.timeNanos()) + " s",
                e.thread(), clip(e.threadName(), 14), e.type()));
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            b.append(' ').append(f.getKey()).append('=');
            Object v = f.getValue();
            if (v instanceof List<?> list) {
                b.append(list.isEmpty() ? "[]" : String.join(" < ", list.stream().map(String::valueOf).toList()));
            } else {
                b.append(printable(String.valueOf(v)));
            }
        }
        out.println(b);
    }

    // ---------------------------------------------------------------- parts

    private void header(SummaryView s, PrintWriter out) {
        long wall = s.wallNanos();
        TransactionTotals t = s.transactions();
        long tx = t.totalNanos();
        List<String> logs = s.sources().files();
        String files = logs.size() == 1 ? logs.get(0) : logs.size() + " logs";
        row(out, "Logs:", files + ", " + count(s.sources().events()) + " events, " + count(s.threadCount()) + " threads");
        if (s.window().chosen()) {
            row(out, "Window:", "from " + duration(s.window().fromNanos()) + " to " + duration(s.window().toNanos())
                    + " after the start");
        }
        row(out, "Wall time:", duration(wall));
        row(out, "In transactions:", pad(duration(tx)) + percentOf(tx, wall) + " of wall time (all threads)");
        row(out, "  committed", pad(duration(t.committedNanos())) + percentOf(t.committedNanos(), wall));
        row(out, "  aborted", pad(duration(t.abortedNanos())) + percentOf(t.abortedNanos(), wall));
        row(out, "  paused", pad(duration(t.pausedNanos())) + percentOf(t.pausedNanos(), wall));
        row(out, "GC pauses:", pad(duration(s.gcNanos())) + percentOf(s.gcNanos(), wall));
        long attempts = t.committed() + t.aborted();
        row(out, "Transactions:", count(t.committed()) + " committed, " + count(t.aborted()) + " aborted ("
                + Units.percent(t.aborted(), attempts) + " of attempts)");
        row(out, "Per second:", Units.rate(s.committedPerSecond(), options.exact()) + " committed");
        long unfinished = s.anomalies().unfinished();
        if (unfinished > 0) row(out, "Unfinished:", count(unfinished) + " attempts open at the end (not counted)");
        DamageView d = s.damage();
        if (d.isDamaged() || d.eventsLost() > 0) {
            StringBuilder b = new StringBuilder();
            if (d.truncated()) b.append("truncated; ");
            if (d.bytesSkipped() > 0) b.append(count(d.bytesSkipped())).append(" bytes skipped; ");
            if (d.missingChunks() > 0) b.append(count(d.missingChunks())).append(" chunks missing; ");
            if (d.malformedRecords() > 0) b.append(count(d.malformedRecords())).append(" malformed records; ");
            if (d.eventsLost() > 0) b.append(count(d.eventsLost())).append(" events dropped by the writer; ");
            row(out, "Damage:", b.substring(0, b.length() - 2));
        }
    }

    private void threads(SummaryView s, PrintWriter out) {
        out.println(bold(String.format(Locale.ROOT, "%-8s %-" + NAME_WIDTH + "s %12s %10s %12s %12s %12s",
                "thread", "name", "committed", "aborted", "committed", "aborted", "paused")));
        for (ThreadRow row : s.threads()) {
            TransactionTotals t = row.transactions();
            out.println(String.format(Locale.ROOT, "%-8s %-" + NAME_WIDTH + "s %12s %10s %12s %12s %12s",
                    row.id(), clip(row.name(), NAME_WIDTH), count(t.committed()), count(t.aborted()),
                    duration(t.committedNanos()), duration(t.abortedNanos()), duration(t.pausedNanos())));
        }
    }

    private void site(SiteRow r, TopView.Grouping grouping, PrintWriter out) {
        out.println(bold(String.format(Locale.ROOT, "#%-3d %s lost in aborts, %s paused (%sx %s)", r.rank(),
                duration(r.lostNanos()), duration(r.pausedNanos()), count(r.count()), r.kind().label())));
        if (r.frames().isEmpty()) {
            out.println("     " + printable(r.key()));
        } else {
            if (!grouping.keyIsTopFrame()) out.println("     " + printable(r.key()));
            for (int i = 0; i < r.frames().size(); i++) {
                out.println("     " + (i == 0 ? "at " : "   ") + printable(r.frames().get(i)));
                if (i == 0) sourceLine(r.sourceLine(), out);
            }
        }
        if (!r.otherFrames().isEmpty()) {
            for (int i = 0; i < r.otherFrames().size(); i++) {
                out.println("     " + (i == 0 ? "other side: " : "            ") + printable(r.otherFrames().get(i))
                        + (i == 0 && r.otherVariants() > 1 ? "  (most often; " + r.otherVariants() + " other sides)" : ""));
                if (i == 0) sourceLine(r.otherSourceLine(), out);
            }
        }
        out.println("     time line: |" + Timeline.draw(r.timeline()) + "|");
        if (r.hint() != null) out.println("     hint: " + printable(r.hint().text()));
    }

    /**
     * A top frame's source line, under it; both sides' at the same indent, so that the two lines
     * of a conflict read one above the other.
     */
    private static void sourceLine(String line, PrintWriter out) {
        if (line != null) out.println("          > " + printable(line.strip()));
    }

    private void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-18s %s", label, value));
    }

    private static String pad(String s) {
        return String.format(Locale.ROOT, "%-10s", s);
    }

    private static String percentOf(long part, long whole) {
        return String.format(Locale.ROOT, "%7s", Units.percent(part, whole));
    }

    private String duration(long nanos) {
        return Units.duration(nanos, options.exact());
    }

    private String count(long n) {
        return Units.count(n, options.exact());
    }

    private String bold(String s) {
        return options.color() ? BOLD + s + RESET : s;
    }

    private static String clip(String s, int width) {
        s = printable(s);
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    /** Control characters from a log are shown as {@code ?}: they must not drive the terminal. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** The scaling table: mode, threads, throughput, and the speed-ups. */
    public void writeScale(ScaleView view, PrintWriter out) {
        out.printf(Locale.ROOT, "%-10s %7s %14s %8s  %9s %9s  %s%n", "mode", "threads", "throughput/s", "from",
                "vs 1 thr", "vs serial", "log");
        for (ScaleRun r : view.runs()) {
            out.printf(Locale.ROOT, "%-10s %7d %14s %8s  %9s %9s  %s%n", r.mode(), r.threads(),
                    Units.rate(r.throughput(), options.exact()), r.from(), ratio(view.speedupVsOneThread(r)),
                    ratio(view.speedupVsBaseline(r)), r.file());
        }
        out.flush();
    }

    private static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%.2fx", x);
    }
}
