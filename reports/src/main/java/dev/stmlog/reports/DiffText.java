package dev.stmlog.reports;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@link TextReportWriter}'s {@link DiffView}: the two sides' totals with their change, then the
 * rows ranked by the absolute change of the ranked figure.
 */
final class DiffText {
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final TextOptions options;

    DiffText(TextOptions options) {
        this.options = options;
    }

    void write(DiffView d, PrintWriter out) {
        SummaryView b = d.base().summary(), n = d.current().summary();
        row(out, "Base:", sources(b));
        row(out, "New:", sources(n));
        if (n.window().chosen()) {
            row(out, "Window:", "from " + duration(n.window().fromNanos()) + " to " + duration(n.window().toNanos())
                    + " after each start");
        }
        out.println();
        out.println(bold(String.format(Locale.ROOT, "%-18s %14s %14s %14s %9s", "", "base", "new", "change", "")));
        TransactionTotals bt = b.transactions(), nt = n.transactions();
        times(out, "lost in aborts", bt.abortedNanos(), nt.abortedNanos());
        times(out, "paused", bt.pausedNanos(), nt.pausedNanos());
        times(out, "lost + paused", bt.abortedNanos() + bt.pausedNanos(), nt.abortedNanos() + nt.pausedNanos());
        times(out, "committed", bt.committedNanos(), nt.committedNanos());
        times(out, "wall time", b.wallNanos(), n.wallNanos());
        counts(out, "conflicts", d.base().conflicts(), d.current().conflicts());
        counts(out, "transactions", bt.committed(), nt.committed());
        counts(out, "aborted attempts", bt.aborted(), nt.aborted());
        DiffView.Throughput bp = d.base().throughput(), np = d.current().throughput();
        out.println(String.format(Locale.ROOT, "%-18s %14s %14s %14s %9s  (from %s)", "throughput/s",
                rate(bp.perSecond()), rate(np.perSecond()), signedRate(np.perSecond() - bp.perSecond()),
                DiffView.percentText(bp.perSecond(), np.perSecond()), from(bp, np)));
        out.println();

        DiffView.StatusCounts c = d.counts();
        if (c.total() == 0) {
            out.println(bold("No conflicts on either side."));
            out.flush();
            return;
        }
        String what = switch (d.grouping()) {
            case SITE -> d.depth() == 1 ? "sites" : "sites (" + d.depth() + " frames)";
            case PAIR -> "site pairs";
            case KIND -> "kinds";
            case THREAD -> "threads";
            case REF -> "contended objects";
        };
        out.println(bold(String.format(Locale.ROOT, "%s: %d changed, %d new, %d gone, %d the same; by change in %s:",
                capitalised(what), c.changed(), c.added(), c.gone(), c.same(), figure(d.ranking()))));
        for (DiffView.SiteChange s : d.sites()) {
            out.println();
            site(s, d, out);
        }
        if (d.sites().size() < c.total()) {
            out.println();
            out.println("(" + (c.total() - d.sites().size()) + " more rows; --limit shows more)");
        }
        out.flush();
    }

    private void site(DiffView.SiteChange s, DiffView d, PrintWriter out) {
        DiffView.Figures b = s.base(), n = s.current();
        out.println(bold(String.format(Locale.ROOT, "#%-3d %-7s %s lost %s, paused %s, count %s (%s)", s.rank(),
                s.status().id(), s.kind().label(), signed(n.lostNanos() - b.lostNanos()),
                signed(n.pausedNanos() - b.pausedNanos()), signedCount(n.count() - b.count()),
                DiffView.percentText(b.of(d.ranking()), n.of(d.ranking())) + " " + d.ranking().id())));
        if (s.frames().isEmpty() || !d.grouping().keyIsTopFrame()) out.println("     " + TextReportWriter.printable(s.key()));
        for (int i = 0; i < s.frames().size(); i++) {
            out.println("     " + (i == 0 ? "at " : "   ") + TextReportWriter.printable(s.frames().get(i)));
            if (i == 0 && s.sourceLine() != null) out.println("          > " + TextReportWriter.printable(s.sourceLine().strip()));
        }
        for (int i = 0; i < s.otherFrames().size(); i++) {
            out.println("     " + (i == 0 ? "other side: " : "            ") + TextReportWriter.printable(s.otherFrames().get(i)));
        }
        out.println(String.format(Locale.ROOT, "     base: %s lost, %s paused, %sx;  new: %s lost, %s paused, %sx",
                duration(b.lostNanos()), duration(b.pausedNanos()), count(b.count()),
                duration(n.lostNanos()), duration(n.pausedNanos()), count(n.count())));
    }

    private static String from(DiffView.Throughput b, DiffView.Throughput n) {
        return b.basis() == n.basis() ? b.basis().id() : b.basis().id() + " / " + n.basis().id();
    }

    private static String figure(TopView.Ranking r) {
        return switch (r) {
            case LOST -> "time lost in aborts";
            case PAUSED -> "time paused";
            case TOTAL -> "time lost and paused";
            case COUNT -> "count";
        };
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String sources(SummaryView s) {
        List<String> logs = s.sources().files();
        String files = logs.size() == 1 ? logs.get(0) : logs.size() + " logs (" + String.join(", ", logs) + ")";
        return TextReportWriter.printable(files) + ", " + Units.count(s.sources().events(), false) + " events, "
                + s.threadCount() + " threads";
    }

    private void times(PrintWriter out, String label, long base, long current) {
        out.println(String.format(Locale.ROOT, "%-18s %14s %14s %14s %9s", label, duration(base), duration(current),
                signed(current - base), DiffView.percentText(base, current)));
    }

    private void counts(PrintWriter out, String label, long base, long current) {
        out.println(String.format(Locale.ROOT, "%-18s %14s %14s %14s %9s", label, count(base), count(current),
                signedCount(current - base), DiffView.percentText(base, current)));
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-18s %s", label, value));
    }

    private String duration(long nanos) {
        return Units.duration(nanos, options.exact());
    }

    private String signed(long nanos) {
        return (nanos > 0 ? "+" : "") + duration(nanos);
    }

    private String count(long n) {
        return Units.count(n, options.exact());
    }

    private String signedCount(long n) {
        return (n > 0 ? "+" : "") + count(n);
    }

    private String rate(double perSecond) {
        return Units.rate(perSecond, options.exact());
    }

    private String signedRate(double change) {
        String r = rate(change);
        return change > 0 && !r.matches("0(\\.0+)?") ? "+" + r : r;
    }

    private String bold(String s) {
        return options.color() ? BOLD + s + RESET : s;
    }
}
