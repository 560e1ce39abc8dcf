package dev.stmlog.reports;

import java.util.List;

/**
 * The report page's comparison with a baseline ({@code stmlog report --baseline BASE}): the totals
 * side by side with their change, and a sortable table of the rows that changed, appeared or
 * went. Built with {@link Html}, so every string from a log is escaped.
 */
final class DiffHtml {
    private DiffHtml() {}

    static void section(DiffView d, Html h) {
        SummaryView b = d.base().summary(), n = d.current().summary();
        h.element("h2", "Compared with the baseline").newline();
        h.open("p", "class", "note").text("Baseline: ").text(String.join(", ", b.sources().files()))
                .text(" (").text(Units.count(b.sources().events(), false)).text(" events). Rows matched by kind and ")
                .text(d.grouping().keyIsTopFrame() ? "frames" : d.grouping().id())
                .text("; ranked by the change in ").text(d.ranking().id()).text(".").close("p").newline();
        h.open("div", "class", "scroll").open("table", "id", "diff-totals").open("thead").open("tr");
        for (String c : List.of("", "base", "new", "change", "%")) h.element("th", c, "scope", c.isEmpty() ? null : "col");
        h.close("tr").close("thead").open("tbody").newline();
        TransactionTotals bt = b.transactions(), nt = n.transactions();
        times(h, "lost in aborts", bt.abortedNanos(), nt.abortedNanos());
        times(h, "paused", bt.pausedNanos(), nt.pausedNanos());
        times(h, "lost + paused", bt.abortedNanos() + bt.pausedNanos(), nt.abortedNanos() + nt.pausedNanos());
        times(h, "committed", bt.committedNanos(), nt.committedNanos());
        counts(h, "conflicts", d.base().conflicts(), d.current().conflicts());
        counts(h, "transactions committed", bt.committed(), nt.committed());
        counts(h, "attempts aborted", bt.aborted(), nt.aborted());
        double bp = d.base().throughput().perSecond(), np = d.current().throughput().perSecond();
        h.open("tr").element("th", "throughput / s (" + d.current().throughput().basis().id() + ")", "scope", "row")
                .element("td", Units.rate(bp, false), "class", "num").element("td", Units.rate(np, false), "class", "num")
                .element("td", Units.rate(np - bp, false), "class", "num")
                .element("td", DiffView.percentText(bp, np), "class", "num").close("tr").newline();
        h.close("tbody").close("table").close("div").newline();

        DiffView.StatusCounts c = d.counts();
        h.open("p", "class", "note").text(c.changed()).text(" changed, ").text(c.added()).text(" new, ")
                .text(c.gone()).text(" gone, ").text(c.same()).text(" the same");
        if (d.sites().size() < c.total()) h.text("; the first ").text(d.sites().size()).text(" shown");
        h.text(".").close("p").newline();
        HtmlReportWriter.table(h, "diff", "rank");
        HtmlReportWriter.th(h, "rank", "#", true);
        HtmlReportWriter.th(h, "status", "status", false);
        HtmlReportWriter.th(h, "kind", "kind", false);
        HtmlReportWriter.th(h, "key", "where", false);
        HtmlReportWriter.th(h, "lost_base", "lost (base)", true);
        HtmlReportWriter.th(h, "lost_new", "lost (new)", true);
        HtmlReportWriter.th(h, "lost_change", "lost change", true);
        HtmlReportWriter.th(h, "paused_change", "paused change", true);
        HtmlReportWriter.th(h, "count_change", "count change", true);
        h.close("tr").close("thead").open("tbody").newline();
        for (DiffView.SiteChange s : d.sites()) {
            h.open("tr", "class", "diff-" + s.status().id());
            HtmlReportWriter.num(h, s.rank(), Integer.toString(s.rank()));
            h.element("td", s.status().id());
            h.element("td", s.kind().label());
            h.open("td", "class", "key", "data-v", s.key());
            if (s.frames().isEmpty() && s.otherFrames().isEmpty()) {
                h.element("code", s.key());
            } else {
                h.open("details").open("summary").element("code", s.key()).close("summary");
                h.open("div", "class", "stack victim").element("h4", "this side (the victim)");
                frames(s.frames(), h);
                if (s.sourceLine() != null) h.element("pre", s.sourceLine());
                h.close("div");
                if (!s.otherFrames().isEmpty()) {
                    h.open("div", "class", "stack other").element("h4", "other side");
                    frames(s.otherFrames(), h);
                    h.close("div");
                }
                h.close("details");
            }
            h.close("td");
            HtmlReportWriter.seconds(h, s.base().lostNanos());
            HtmlReportWriter.seconds(h, s.current().lostNanos());
            signedSeconds(h, s.current().lostNanos() - s.base().lostNanos());
            signedSeconds(h, s.current().pausedNanos() - s.base().pausedNanos());
            long dc = s.current().count() - s.base().count();
            HtmlReportWriter.num(h, dc, (dc > 0 ? "+" : "") + Units.count(dc, false));
            h.close("tr").newline();
        }
        HtmlReportWriter.endTable(h);
    }

    /** A change in time: {@code +25.0 ms}, sorted on its seconds. */
    private static void signedSeconds(Html h, long nanos) {
        HtmlReportWriter.num(h, nanos / 1e9, (nanos > 0 ? "+" : "") + Units.duration(nanos, false));
    }

    private static void frames(List<String> frames, Html h) {
        h.open("ol");
        for (String f : frames) h.open("li").element("code", f).close("li");
        h.close("ol");
    }

    private static void times(Html h, String label, long base, long current) {
        long change = current - base;
        h.open("tr").element("th", label, "scope", "row")
                .element("td", Units.duration(base, false), "class", "num")
                .element("td", Units.duration(current, false), "class", "num")
                .element("td", (change > 0 ? "+" : "") + Units.duration(change, false), "class", "num")
                .element("td", DiffView.percentText(base, current), "class", "num").close("tr").newline();
    }

    private static void counts(Html h, String label, long base, long current) {
        long change = current - base;
        h.open("tr").element("th", label, "scope", "row")
                .element("td", Units.count(base, false), "class", "num")
                .element("td", Units.count(current, false), "class", "num")
                .element("td", (change > 0 ? "+" : "") + Units.count(change, false), "class", "num")
                .element("td", DiffView.percentText(base, current), "class", "num").close("tr").newline();
    }
}
