package dev.stmlog.reports;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@link JsonReportWriter}'s {@link DiffView}: {@code "format": "stmlog-1"}, {@code "document": "diff"},
 * both sides' totals, their change, and the ranked rows with each side's figures. Times are
 * seconds (exact decimals); a change in percent is null when the base is 0.
 */
final class DiffJson {
    private DiffJson() {}

    static void write(DiffView d, Appendable out) {
        JsonWriter j = new JsonWriter(out, true);
        j.beginObject();
        j.name("format").value(JsonReportWriter.FORMAT);
        j.name("document").value("diff");
        j.name("group_by").value(d.grouping().id());
        j.name("sort").value(d.ranking().id());
        j.name("depth").value(d.depth());
        j.name("base");
        side(d.base(), j);
        j.name("new");
        side(d.current(), j);
        TransactionTotals b = d.base().transactions(), n = d.current().transactions();
        j.name("change").beginObject();
        times(j, "lost", b.abortedNanos(), n.abortedNanos());
        times(j, "paused", b.pausedNanos(), n.pausedNanos());
        times(j, "total", b.abortedNanos() + b.pausedNanos(), n.abortedNanos() + n.pausedNanos());
        times(j, "committed", b.committedNanos(), n.committedNanos());
        times(j, "wall", d.base().summary().wallNanos(), d.current().summary().wallNanos());
        counts(j, "conflicts", d.base().conflicts(), d.current().conflicts());
        counts(j, "transactions", b.committed(), n.committed());
        counts(j, "aborted", b.aborted(), n.aborted());
        double bp = d.base().throughput().perSecond(), np = d.current().throughput().perSecond();
        j.name("throughput_per_s").value(round(np - bp));
        j.name("throughput_pct").any(percent(bp, np));
        j.endObject();
        DiffView.StatusCounts c = d.counts();
        j.name("rows").beginObject()
                .name("total").value(c.total())
                .name("changed").value(c.changed())
                .name("new").value(c.added())
                .name("gone").value(c.gone())
                .name("same").value(c.same())
                .endObject();
        j.name("sites").beginArray();
        for (DiffView.SiteChange s : d.sites()) {
            j.beginObject();
            j.name("rank").value(s.rank());
            j.name("status").value(s.status().id());
            j.name("kind").value(s.kind().label());
            j.name("key").value(s.key());
            j.name("frames").strings(s.frames());
            j.name("other_frames").strings(s.otherFrames());
            j.name("source_line").value(s.sourceLine());
            j.name("base");
            figures(s.base(), j);
            j.name("new");
            figures(s.current(), j);
            j.name("change").beginObject();
            counts(j, "count", s.base().count(), s.current().count());
            times(j, "lost", s.base().lostNanos(), s.current().lostNanos());
            times(j, "paused", s.base().pausedNanos(), s.current().pausedNanos());
            times(j, "total", s.base().totalNanos(), s.current().totalNanos());
            j.endObject();
            j.endObject();
        }
        j.endArray();
        j.endObject();
        try {
            out.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void side(DiffView.Side side, JsonWriter j) {
        SummaryView s = side.summary();
        DiffView.Throughput t = side.throughput();
        j.beginObject();
        JsonReportWriter.totals(s, j);
        j.name("conflicts").value(side.conflicts());
        j.name("throughput").beginObject()
                .name("per_s").value(round(t.perSecond()))
                .name("from").value(t.basis().id())
                .name("operations").value(t.operations())
                .name("measured_s").seconds(t.nanos())
                .endObject();
        j.endObject();
    }

    private static void figures(DiffView.Figures f, JsonWriter j) {
        j.beginObject()
                .name("count").value(f.count())
                .name("lost_s").seconds(f.lostNanos())
                .name("paused_s").seconds(f.pausedNanos())
                .name("total_s").seconds(f.totalNanos())
                .endObject();
    }

    /** {@code NAME_s}: the change in seconds; {@code NAME_pct}: in percent of the base. */
    private static void times(JsonWriter j, String name, long base, long current) {
        j.name(name + "_s").seconds(current - base);
        j.name(name + "_pct").any(percent(base, current));
    }

    private static void counts(JsonWriter j, String name, long base, long current) {
        j.name(name).value(current - base);
        j.name(name + "_pct").any(percent(base, current));
    }

    private static Double percent(double base, double current) {
        Double p = DiffView.percentChange(base, current);
        return p == null ? null : round(p);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
