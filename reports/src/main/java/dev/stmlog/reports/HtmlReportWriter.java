package dev.stmlog.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the HTML pages: one self-contained file each (CSS, JS and the PNG charts inline as
 * {@code data:} URIs; nothing is loaded from the network). Every string that comes from a log
 * is escaped; no log data goes inside the page's script.
 */
public final class HtmlReportWriter {
    private static final String PREFIX = "/dev/stmlog/reports/";

    /**
     * Writes {@code dir/index.html} with its charts ({@code *.png}) and tables ({@code *.csv})
     * beside it. Returns the files written.
     */
    public List<Path> writeReport(ReportView view, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Map<String, byte[]> charts = new java.util.LinkedHashMap<>();
        int rows = Math.max(1, view.top().sites().size());
        charts.put("time-lost-per-site.png", PngCharts.lostPerSite(view.top(), PngCharts.WIDTH,
                Math.max(PngCharts.HEIGHT, 120 + 28 * rows)));
        charts.put("cpu-breakdown.png", PngCharts.cpuBreakdown(view.summary(), PngCharts.WIDTH, PngCharts.HEIGHT));
        charts.put("thread-timeline.png", PngCharts.threadTimeline(view.timelines(), view.spansPerThread(),
                PngCharts.WIDTH, Math.max(PngCharts.HEIGHT, 140 + 30 * view.timelines().size())));
        charts.put("conflicts-over-time.png", PngCharts.conflictsOverTime(view.conflicts(), PngCharts.WIDTH, PngCharts.HEIGHT));
        for (Map.Entry<String, byte[]> e : charts.entrySet()) written.add(write(dir.resolve(e.getKey()), e.getValue()));
        CsvReportWriter csv = new CsvReportWriter();
        StringBuilder b = new StringBuilder();
        csv.writeTop(view.top(), b);
        written.add(write(dir.resolve("sites.csv"), b));
        b.setLength(0);
        csv.writeSummary(view.summary(), b);
        written.add(write(dir.resolve("threads.csv"), b));
        b.setLength(0);
        csv.writeSpans(view.timelines(), b);
        written.add(write(dir.resolve("transactions.csv"), b));
        b.setLength(0);
        csv.writeConflicts(view.conflicts(), b);
        written.add(write(dir.resolve("conflicts.csv"), b));
        Path index = dir.resolve("index.html");
        try (Writer w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
            writeReportPage(view, charts, w);
        }
        written.add(index);
        return written;
    }

    /** The report page, with the given PNGs inline. */
    public void writeReportPage(ReportView view, Map<String, byte[]> charts, Appendable out) throws IOException {
        SummaryView s = view.summary();
        StringBuilder h = new StringBuilder();
        h.append("<header><h1>stmlog report: ").append(esc(String.join(", ", s.files()))).append("</h1>\n");
        h.append("<p class=\"note\">").append(esc(Units.count(s.events(), false))).append(" events");
        if (s.windowed()) {
            h.append(", window ").append(esc(Units.duration(s.windowFromNanos(), false))).append(" to ")
                    .append(esc(Units.duration(s.windowToNanos(), false)));
        }
        h.append(". Committed + aborted + paused = the threads' time in transactions.</p></header>\n");
        summary(s, h);
        if (s.damage() != null && !s.damage().notes().isEmpty()) {
            h.append("<p class=\"note\">Damaged log(s): ");
            for (String n : s.damage().notes()) h.append(esc(n)).append("; ");
            h.append("analysed anyway.</p>\n");
        }
        h.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
        chart(h, charts, "time-lost-per-site.png", "Time lost per site, split into aborted and paused");
        chart(h, charts, "cpu-breakdown.png", "Committed, aborted, paused and GC time");
        chart(h, charts, "thread-timeline.png", "Transactions per thread over time, coloured by outcome; waits as thin bars");
        chart(h, charts, "conflicts-over-time.png", "Conflicts over time, per kind");
        h.append("</div>\n");
        boolean sampled = view.timelines().stream().anyMatch(ThreadTimelineView::sampled);
        if (sampled) {
            h.append("<p class=\"note\">The per-thread time line is sampled: at most ").append(view.spansPerThread())
                    .append(" spans per thread are kept, evenly spread over the run.</p>\n");
        }
        sites(view.top(), h);
        threads(s, h);
        h.append("<h2>Files</h2>\n<ul class=\"files\">");
        for (String f : List.of("sites.csv", "threads.csv", "transactions.csv", "conflicts.csv")) {
            h.append("<li><a href=\"").append(f).append("\">").append(f).append("</a></li>");
        }
        for (String f : charts.keySet()) h.append("<li><a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a></li>");
        h.append("</ul>\n");
        page("stmlog report: " + String.join(", ", s.files()), h, out);
    }

    /** Writes {@code dir/index.html}, {@code dir/scale.csv} and the two scaling charts. */
    public List<Path> writeScale(ScaleView view, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Map<String, byte[]> charts = new java.util.LinkedHashMap<>();
        charts.put("throughput.png", PngCharts.scaleThroughput(view, PngCharts.WIDTH, PngCharts.HEIGHT));
        charts.put("time-per-thread-count.png", PngCharts.scaleTime(view, PngCharts.WIDTH, PngCharts.HEIGHT));
        for (Map.Entry<String, byte[]> e : charts.entrySet()) written.add(write(dir.resolve(e.getKey()), e.getValue()));
        StringBuilder b = new StringBuilder();
        new CsvReportWriter().writeScale(view, b);
        written.add(write(dir.resolve("scale.csv"), b));
        Path index = dir.resolve("index.html");
        try (Writer w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
            writeScalePage(view, charts, w);
        }
        written.add(index);
        return written;
    }

    public void writeScalePage(ScaleView view, Map<String, byte[]> charts, Appendable out) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<header><h1>stmlog scaling report</h1>\n<p class=\"note\">Throughput is completed operations"
                + " per second of the measured part of each run: user marks inside the window the program declared"
                + " (from: window), else user marks over the time from the first to the last (marks), else committed"
                + " transactions over the wall time (commits). The times in transactions are those of the same"
                + " part.</p></header>\n");
        h.append("<h2>Runs</h2>\n<div class=\"scroll\"><table id=\"runs\" class=\"sortable\" data-default-sort=\"threads\""
                + " data-default-dir=\"1\"><thead><tr>");
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
        h.append("</tr></thead><tbody>\n");
        for (ScaleRun r : view.runs()) {
            h.append("<tr><td>").append(esc(r.mode())).append(r.baseline() ? " (baseline)" : "").append("</td>");
            num(h, r.threads(), Integer.toString(r.threads()));
            num(h, r.throughput(), Units.rate(r.throughput(), false));
            h.append("<td>").append(esc(r.from())).append("</td>");
            num(h, view.speedupVsOneThread(r), ratio(view.speedupVsOneThread(r)));
            num(h, view.speedupVsBaseline(r), ratio(view.speedupVsBaseline(r)));
            num(h, r.committedNanos() / 1e9, Units.duration(r.committedNanos(), false));
            num(h, r.abortedNanos() / 1e9, Units.duration(r.abortedNanos(), false));
            num(h, r.pausedNanos() / 1e9, Units.duration(r.pausedNanos(), false));
            h.append("<td class=\"mono\">").append(esc(r.file())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n<h2>Charts</h2>\n<div class=\"charts\">\n");
        chart(h, charts, "throughput.png", "Throughput against threads, with the ideal linear line and the serial baseline");
        chart(h, charts, "time-per-thread-count.png", "Committed, aborted and paused time per thread count, in the measured part");
        h.append("</div>\n<h2>Files</h2>\n<ul class=\"files\"><li><a href=\"scale.csv\">scale.csv</a></li>");
        for (String f : charts.keySet()) h.append("<li><a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a></li>");
        h.append("</ul>\n");
        page("stmlog scaling report", h, out);
    }

    // ---------------------------------------------------------------- parts

    private static void summary(SummaryView s, StringBuilder h) {
        h.append("<h2>Summary</h2>\n<div class=\"figures\">\n");
        figure(h, Units.duration(s.wallNanos(), false), "wall time");
        figure(h, Integer.toString(s.threadCount()), "threads");
        figure(h, Units.duration(s.committedNanos(), false), "committed (" + Units.percent(s.committedNanos(), s.transactionNanos()) + ")");
        figure(h, Units.duration(s.abortedNanos(), false), "lost in aborts (" + Units.percent(s.abortedNanos(), s.transactionNanos()) + ")");
        figure(h, Units.duration(s.pausedNanos(), false), "paused (" + Units.percent(s.pausedNanos(), s.transactionNanos()) + ")");
        figure(h, Units.duration(s.gcNanos(), false), "GC (" + Units.percent(s.gcNanos(), s.wallNanos()) + " of wall)");
        figure(h, Units.count(s.committed(), false), "transactions committed");
        figure(h, Units.count(s.aborted(), false), "attempts aborted");
        figure(h, Units.rate(s.committedPerSecond(), false), "committed per second");
        if (s.unfinished() > 0) figure(h, Units.count(s.unfinished(), false), "unfinished attempts");
        if (s.unexpected() > 0) figure(h, Units.count(s.unexpected(), false), "unexpected sequences");
        h.append("</div>\n");
    }

    private static void figure(StringBuilder h, String value, String label) {
        h.append("<div class=\"figure\"><b>").append(esc(value)).append("</b><span>").append(esc(label)).append("</span></div>\n");
    }

    private static void sites(TopView top, StringBuilder h) {
        h.append("<h2>Conflicts by ").append(esc(top.groupBy())).append("</h2>\n");
        h.append("<p class=\"note\">").append(top.sites().size()).append(" of ").append(top.totalRows())
                .append(" rows, ranked by ").append(esc(top.sortBy())).append("; click a header to sort, a row's key"
                + " to see both sides of the conflict. Time lines span the analysed time.");
        if (top.merged() > 0) {
            h.append(' ').append(top.merged()).append(" conflicts recorded without one of their sides are counted with the"
                    + " others on the same object.");
        }
        h.append("</p>\n");
        h.append("<input type=\"search\" id=\"site-filter\" placeholder=\"Filter rows (frame, kind, ...)\" aria-label=\"Filter rows\">"
                + " <span id=\"site-count\" class=\"muted\"></span>\n");
        h.append("<div class=\"scroll\"><table id=\"sites\" class=\"sortable\" data-default-sort=\"rank\" data-default-dir=\"1\">"
                + "<thead><tr>");
        th(h, "rank", "#", true);
        th(h, "kind", "kind", false);
        th(h, "key", "where (click for both sides)", false);
        th(h, "count", "count", true);
        th(h, "lost", "lost in aborts", true);
        th(h, "paused", "paused", true);
        th(h, "total", "total", true);
        th(h, null, "time line", false);
        h.append("</tr></thead><tbody>\n");
        for (SiteRow r : top.sites()) {
            h.append("<tr>");
            num(h, r.rank(), Integer.toString(r.rank()));
            h.append("<td>").append(esc(r.kind())).append("</td>");
            h.append("<td class=\"key\" data-v=\"").append(esc(r.key())).append("\">");
            if (r.frames().isEmpty() && r.otherFrames().isEmpty()) {
                h.append("<code>").append(esc(r.key())).append("</code>");
            } else {
                h.append("<details><summary><code>").append(esc(r.key())).append("</code></summary>");
                h.append("<div class=\"stack victim\"><h4>this side (the victim)</h4><ol>");
                for (String f : r.frames()) h.append("<li><code>").append(esc(f)).append("</code></li>");
                h.append("</ol>");
                if (r.sourceLine() != null) h.append("<pre>").append(esc(r.sourceLine())).append("</pre>");
                h.append("</div><div class=\"stack other\"><h4>other side");
                if (r.otherVariants() > 1) h.append(" (the most frequent of ").append(r.otherVariants()).append(")");
                h.append("</h4>");
                if (r.otherFrames().isEmpty()) h.append("<p class=\"muted\">unknown</p>");
                else {
                    h.append("<ol>");
                    for (String f : r.otherFrames()) h.append("<li><code>").append(esc(f)).append("</code></li>");
                    h.append("</ol>");
                    if (r.otherSourceLine() != null) h.append("<pre>").append(esc(r.otherSourceLine())).append("</pre>");
                }
                h.append("</div></details>");
            }
            h.append("</td>");
            num(h, r.count(), Units.count(r.count(), false));
            num(h, r.lostNanos() / 1e9, Units.duration(r.lostNanos(), false));
            num(h, r.pausedNanos() / 1e9, Units.duration(r.pausedNanos(), false));
            num(h, r.totalNanos() / 1e9, Units.duration(r.totalNanos(), false));
            h.append("<td>").append(svgTimeline(r.timeline())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    /** The row's time line as bars relative to its busiest column. */
    static String svgTimeline(int[] columns) {
        int max = 0;
        for (int c : columns) max = Math.max(max, c);
        StringBuilder s = new StringBuilder("<svg class=\"tl\" viewBox=\"0 0 ").append(columns.length)
                .append(" 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"conflicts over time\">")
                .append("<line x1=\"0\" y1=\"9.85\" x2=\"").append(columns.length).append("\" y2=\"9.85\"/>");
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == 0) continue;
            double hgt = Math.max(1, 10.0 * columns[i] / max);
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.2f\" width=\"0.9\" height=\"%.2f\"/>", i, 10 - hgt, hgt));
        }
        return s.append("</svg>").toString();
    }

    private static void threads(SummaryView s, StringBuilder h) {
        h.append("<h2>Threads</h2>\n<div class=\"scroll\"><table id=\"threads\" class=\"sortable\" data-default-sort=\"thread\""
                + " data-default-dir=\"1\"><thead><tr>");
        th(h, "thread", "thread", false);
        th(h, "name", "name", false);
        th(h, "committed", "committed", true);
        th(h, "aborted", "aborted", true);
        th(h, "committed_s", "committed time", true);
        th(h, "aborted_s", "lost in aborts", true);
        th(h, "paused_s", "paused", true);
        th(h, "total_s", "total", true);
        h.append("</tr></thead><tbody>\n");
        for (ThreadRow t : s.threads()) {
            h.append("<tr><td class=\"mono\" data-v=\"").append(esc(t.id())).append("\">").append(esc(t.id())).append("</td>");
            h.append("<td>").append(esc(t.name())).append("</td>");
            num(h, t.committed(), Units.count(t.committed(), false));
            num(h, t.aborted(), Units.count(t.aborted(), false));
            num(h, t.committedNanos() / 1e9, Units.duration(t.committedNanos(), false));
            num(h, t.abortedNanos() / 1e9, Units.duration(t.abortedNanos(), false));
            num(h, t.pausedNanos() / 1e9, Units.duration(t.pausedNanos(), false));
            num(h, t.totalNanos() / 1e9, Units.duration(t.totalNanos(), false));
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static void th(StringBuilder h, String key, String label, boolean numeric) {
        h.append("<th");
        if (numeric) h.append(" class=\"num\"");
        if (key != null) h.append(" data-sort=\"").append(key).append("\" scope=\"col\"");
        h.append(">").append(esc(label)).append("</th>");
    }

    private static void num(StringBuilder h, double value, String text) {
        String v = Double.isNaN(value) || Double.isInfinite(value) ? "" : (value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value));
        h.append("<td class=\"num\" data-v=\"").append(v).append("\">").append(esc(text)).append("</td>");
    }

    private static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%.2f\u00d7", x);
    }

    private static void chart(StringBuilder h, Map<String, byte[]> charts, String name, String alt) {
        byte[] png = charts.get(name);
        if (png == null) return;
        h.append("<figure style=\"margin:0\"><img class=\"chart\" alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></figure>\n");
    }

    private static void page(String title, CharSequence body, Appendable out) throws IOException {
        String template = resource("page.html");
        int b = template.indexOf("{{body}}");
        out.append(template.substring(0, b).replace("{{title}}", esc(title)).replace("{{css}}", resource("report.css")));
        out.append(body);
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

    /**
     * Escapes text for HTML element content and quoted attribute values: {@code & < > " '},
     * and the line separators U+2028/U+2029. Control characters other than tab and newline
     * become U+FFFD.
     */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '\u2028' -> "&#x2028;";
                case '\u2029' -> "&#x2029;";
                default -> (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "\ufffd" : null;
            };
            if (r == null) {
                if (b != null) b.append(c);
            } else {
                if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
                b.append(r);
            }
        }
        return b == null ? s : b.toString();
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    private static Path write(Path file, CharSequence text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
