package dev.stmlog.reports;

import dev.stmlog.reports.export.StackProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes the HTML pages, one self-contained file each: CSS, JS and the PNG charts inline as
 * {@code data:} URIs; nothing is loaded from the network. The page is built with {@link Html},
 * which escapes every string; no log data goes inside the page's script. The skeleton, CSS and
 * JS are resources beside this class. The files the page links to are {@link ReportFolder}'s.
 */
public final class HtmlReportWriter extends ReportWriter {
    private static final String PREFIX = "/dev/stmlog/reports/";

    public HtmlReportWriter() {
        super("html");
        // alone, a page draws its own charts; in a folder they are drawn once for the page and the files
        writes(ReportView.class, (v, out) -> unchecked(() -> writeReportPage(v, PngCharts.forReport(v), out)));
        writes(ScaleView.class, (v, out) -> unchecked(() -> writeScalePage(v, PngCharts.forScale(v), out)));
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void unchecked(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report page, with the given charts inline. */
    public void writeReportPage(ReportView view, List<Chart> charts, Appendable out) throws IOException {
        SummaryView s = view.summary();
        String files = String.join(", ", s.sources().files());
        Html h = new Html();
        h.open("header").element("h1", "stmlog report: " + files).newline();
        h.open("p", "class", "note").text(Units.count(s.sources().events(), false)).text(" events");
        if (s.window().chosen()) {
            h.text(", window ").text(Units.duration(s.window().fromNanos(), false)).text(" to ")
                    .text(Units.duration(s.window().toNanos(), false));
        }
        // constant prose, raw only to keep its plain apostrophe (escaped, it would read the same as &#39;)
        h.raw(". Committed + aborted + paused = the threads' time in transactions.").close("p").close("header").newline();
        summary(s, h);
        if (s.damage() != null && !s.damage().notes().isEmpty()) {
            h.open("p", "class", "note").text("Damaged log(s): ");
            for (String n : s.damage().notes()) h.text(n).text("; ");
            h.text("analysed anyway.").close("p").newline();
        }
        charts(charts, h);
        if (view.timelines().stream().anyMatch(ThreadTimelineView::sampled)) {
            h.open("p", "class", "note").text("The per-thread time line is sampled: at most ").text(view.spansPerThread())
                    .text(" spans per thread are kept, evenly spread over the run.").close("p").newline();
        }
        sites(view.top(), h);
        if (view.comparison() != null) DiffHtml.section(view.comparison(), h);
        flameGraph(view.lostByStack(), h);
        threads(s, h);
        files(ReportFolder.REPORT_TABLES, charts, h);
        page("stmlog report: " + files, h, out);
    }

    /** The scaling page, with the given charts inline. */
    public void writeScalePage(ScaleView view, List<Chart> charts, Appendable out) throws IOException {
        Html h = new Html();
        h.open("header").element("h1", "stmlog scaling report").newline();
        h.element("p", "Throughput is completed operations per second of the measured part of each run: user marks"
                + " inside the window the program declared (from: window), else user marks over the time from the first"
                + " to the last (marks), else committed transactions over the wall time (commits). The times in"
                + " transactions are those of the same part.", "class", "note").close("header").newline();
        h.element("h2", "Runs").newline();
        table(h, "runs", "threads");
        th(h, "mode", "mode", false);
        th(h, "threads", "threads", true);
        th(h, "throughput", "throughput / s", true);
        th(h, null, "from", false);
        th(h, "one", "speed-up vs 1 thread", true);
        th(h, "serial", "speed-up vs serial", true);
        th(h, "committed", "committed s", true);
        th(h, "aborted", "aborted s", true);
        th(h, "paused", "paused s", true);
        th(h, "file", "log", false);
        h.close("tr").close("thead").open("tbody").newline();
        for (ScaleRun r : view.runs()) {
            TransactionTotals t = r.transactions();
            h.open("tr").element("td", r.mode() + (r.baseline() ? " (baseline)" : ""));
            num(h, r.threads(), Integer.toString(r.threads()));
            num(h, r.throughput(), Units.rate(r.throughput(), false));
            h.element("td", r.from());
            num(h, view.speedupVsOneThread(r), ratio(view.speedupVsOneThread(r)));
            num(h, view.speedupVsBaseline(r), ratio(view.speedupVsBaseline(r)));
            seconds(h, t.committedNanos());
            seconds(h, t.abortedNanos());
            seconds(h, t.pausedNanos());
            h.element("td", r.file(), "class", "mono").close("tr").newline();
        }
        endTable(h);
        charts(charts, h);
        files(List.of(ReportFolder.SCALE_TABLE), charts, h);
        page("stmlog scaling report", h, out);
    }

    // ---------------------------------------------------------------- parts

    private static void summary(SummaryView s, Html h) {
        TransactionTotals t = s.transactions();
        h.element("h2", "Summary").newline().open("div", "class", "figures").newline();
        figure(h, Units.duration(s.wallNanos(), false), "wall time");
        figure(h, Integer.toString(s.threadCount()), "threads");
        figure(h, Units.duration(t.committedNanos(), false), "committed (" + Units.percent(t.committedNanos(), t.totalNanos()) + ")");
        figure(h, Units.duration(t.abortedNanos(), false), "lost in aborts (" + Units.percent(t.abortedNanos(), t.totalNanos()) + ")");
        figure(h, Units.duration(t.pausedNanos(), false), "paused (" + Units.percent(t.pausedNanos(), t.totalNanos()) + ")");
        figure(h, Units.duration(s.gcNanos(), false), "GC (" + Units.percent(s.gcNanos(), s.wallNanos()) + " of wall)");
        figure(h, Units.count(t.committed(), false), "transactions committed");
        figure(h, Units.count(t.aborted(), false), "attempts aborted");
        figure(h, Units.rate(s.committedPerSecond(), false), "committed per second");
        SummaryView.Anomalies a = s.anomalies();
        if (a.unfinished() > 0) figure(h, Units.count(a.unfinished(), false), "unfinished attempts");
        if (a.unexpected() > 0) figure(h, Units.count(a.unexpected(), false), "unexpected sequences");
        h.close("div").newline();
    }

    private static void figure(Html h, String value, String label) {
        h.open("div", "class", "figure").element("b", value).element("span", label).close("div").newline();
    }

    private static void sites(TopView top, Html h) {
        h.element("h2", "Conflicts by " + top.groupBy()).newline();
        h.open("p", "class", "note").text(top.sites().size()).text(" of ").text(top.totalRows())
                .text(" rows, ranked by ").text(top.sortBy())
                .raw("; click a header to sort, a row's key to see both sides of the conflict. Time lines span the"
                        + " analysed time."); // constant prose, raw as above
        if (top.merged() > 0) {
            h.text(" ").text(top.merged()).text(" conflicts recorded without one of their sides are counted with the"
                    + " others on the same object.");
        }
        h.close("p").newline();
        h.open("input", "type", "search", "id", "site-filter", "placeholder", "Filter rows (frame, kind, ...)",
                "aria-label", "Filter rows").text(" ").element("span", "", "id", "site-count", "class", "muted").newline();
        table(h, "sites", "rank");
        th(h, "rank", "#", true);
        th(h, "kind", "kind", false);
        th(h, "key", "where (click for both sides)", false);
        th(h, "count", "count", true);
        th(h, "lost", "lost in aborts", true);
        th(h, "paused", "paused", true);
        th(h, "total", "total", true);
        th(h, null, "time line", false);
        h.close("tr").close("thead").open("tbody").newline();
        for (SiteRow r : top.sites()) {
            h.open("tr");
            num(h, r.rank(), Integer.toString(r.rank()));
            h.element("td", r.kind().label());
            h.open("td", "class", "key", "data-v", r.key());
            if (r.frames().isEmpty() && r.otherFrames().isEmpty()) {
                h.element("code", r.key());
            } else {
                h.open("details").open("summary").element("code", r.key()).close("summary");
                h.open("div", "class", "stack victim").element("h4", "this side (the victim)");
                frames(r.frames(), h);
                if (r.sourceLine() != null) h.element("pre", r.sourceLine());
                h.close("div").open("div", "class", "stack other").open("h4").text("other side");
                if (r.otherVariants() > 1) h.text(" (the most frequent of ").text(r.otherVariants()).text(")");
                h.close("h4");
                if (r.otherFrames().isEmpty()) {
                    h.element("p", "unknown", "class", "muted");
                } else {
                    frames(r.otherFrames(), h);
                    if (r.otherSourceLine() != null) h.element("pre", r.otherSourceLine());
                }
                h.close("div").close("details");
            }
            if (r.hint() != null) {
                h.element("p", "hint: " + r.hint().text(), "class", "hint", "data-hint", r.hint().kind().id());
            }
            h.close("td");
            num(h, r.count(), Units.count(r.count(), false));
            seconds(h, r.lostNanos());
            seconds(h, r.pausedNanos());
            seconds(h, r.totalNanos());
            h.open("td");
            svgTimeline(r.timeline(), h);
            h.close("td").close("tr").newline();
        }
        endTable(h);
    }

    private static void flameGraph(StackProfile profile, Html h) {
        h.element("h2", "Time lost by stack").newline();
        if (profile.samples().isEmpty()) {
            h.element("p", "No time was lost or paused in conflicts.", "class", "note").newline();
            return;
        }
        h.element("p", "Each conflict's lost and paused time by the victim's whole stack: at the bottom the"
                + " conflict's kind, above it the outermost frame, on top the victim's line. A frame's width"
                + " is its share of the time; hover it for the figures. stmlog export --to speedscope gives"
                + " the same for speedscope, per thread.", "class", "note").newline();
        h.open("div", "class", "scroll");
        FlameGraph.svg(profile, h);
        h.close("div").newline();
    }

    private static void frames(List<String> frames, Html h) {
        h.open("ol");
        for (String f : frames) h.open("li").element("code", f).close("li");
        h.close("ol");
    }

    /** The row's time line as bars relative to its busiest column. */
    static void svgTimeline(int[] columns, Html h) {
        int max = 0;
        for (int c : columns) max = Math.max(max, c);
        String width = Integer.toString(columns.length);
        h.open("svg", "class", "tl", "viewBox", "0 0 " + width + " 10", "preserveAspectRatio", "none", "role", "img",
                "aria-label", "conflicts over time");
        h.empty("line", "x1", "0", "y1", "9.85", "x2", width, "y2", "9.85");
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == 0) continue;
            double height = Math.max(1, 10.0 * columns[i] / max);
            h.empty("rect", "x", Integer.toString(i), "y", String.format(Locale.ROOT, "%.2f", 10 - height),
                    "width", "0.9", "height", String.format(Locale.ROOT, "%.2f", height));
        }
        h.close("svg");
    }

    private static void threads(SummaryView s, Html h) {
        h.element("h2", "Threads").newline();
        table(h, "threads", "thread");
        th(h, "thread", "thread", false);
        th(h, "name", "name", false);
        th(h, "committed", "committed", true);
        th(h, "aborted", "aborted", true);
        th(h, "committed_s", "committed time", true);
        th(h, "aborted_s", "lost in aborts", true);
        th(h, "paused_s", "paused", true);
        th(h, "total_s", "total", true);
        h.close("tr").close("thead").open("tbody").newline();
        for (ThreadRow row : s.threads()) {
            TransactionTotals t = row.transactions();
            h.open("tr").element("td", row.id(), "class", "mono", "data-v", row.id()).element("td", row.name());
            num(h, t.committed(), Units.count(t.committed(), false));
            num(h, t.aborted(), Units.count(t.aborted(), false));
            seconds(h, t.committedNanos());
            seconds(h, t.abortedNanos());
            seconds(h, t.pausedNanos());
            seconds(h, t.totalNanos());
            h.close("tr").newline();
        }
        endTable(h);
    }

    /** A sortable table, up to its header row's first cell; {@code report.js} sorts it by {@code sortedBy} first. */
    static void table(Html h, String id, String sortedBy) {
        h.open("div", "class", "scroll").open("table", "id", id, "class", "sortable", "data-default-sort", sortedBy,
                "data-default-dir", "1").open("thead").open("tr");
    }

    static void endTable(Html h) {
        h.close("tbody").close("table").close("div").newline();
    }

    static void th(Html h, String key, String label, boolean numeric) {
        h.element("th", label, "class", numeric ? "num" : null, "data-sort", key, "scope", key == null ? null : "col");
    }

    /** A number's cell: {@code text} shown, {@code value} sorted on (empty when it is not a number). */
    static void num(Html h, double value, String text) {
        String v = Double.isNaN(value) || Double.isInfinite(value) ? "" : (value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value));
        h.element("td", text, "class", "num", "data-v", v);
    }

    static void seconds(Html h, long nanos) {
        num(h, nanos / 1e9, Units.duration(nanos, false));
    }

    private static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%.2f\u00d7", x);
    }

    private static void charts(List<Chart> charts, Html h) {
        h.element("h2", "Charts").newline().open("div", "class", "charts").newline();
        for (Chart c : charts) {
            h.open("figure", "style", "margin:0").open("img", "class", "chart", "alt", c.description(),
                    "src", "data:image/png;base64," + Base64.getEncoder().encodeToString(c.png())).close("figure").newline();
        }
        h.close("div").newline();
    }

    /** The list of the files beside the page: its tables, then its charts. */
    private static void files(List<String> tables, List<Chart> charts, Html h) {
        h.element("h2", "Files").newline().open("ul", "class", "files");
        for (String f : tables) link(f, h);
        for (Chart c : charts) link(c.fileName(), h);
        h.close("ul").newline();
    }

    private static void link(String file, Html h) {
        h.open("li").element("a", file, "href", file).close("li");
    }

    private static void page(String title, Html body, Appendable out) throws IOException {
        String template = resource("page.html");
        int b = template.indexOf("{{body}}");
        out.append(template.substring(0, b).replace("{{title}}", Html.escape(title)).replace("{{css}}", resource("report.css")));
        out.append(body.toString());
        out.append(template.substring(b + "{{body}}".length()).replace("{{js}}", resource("report.js")));
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(PREFIX + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
