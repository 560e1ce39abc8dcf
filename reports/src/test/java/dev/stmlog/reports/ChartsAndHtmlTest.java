package dev.stmlog.reports;

import dev.stmlog.reports.export.StackProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsAndHtmlTest {
    static final String HOSTILE = "<script>alert(1)</script>\"'&</textarea>\u2028javascript:x";

    static ReportView report(String name) {
        SummaryView s = new SummaryView(new SummaryView.Sources(List.of(name + ".stmlog"), 100), 2_000_000_000L,
                new SummaryView.Window(0, 2_000_000_000L, false), 1,
                new TransactionTotals(10, 2, 1_000_000_000L, 250_000_000L, 50_000_000L), 20_000_000L,
                SummaryView.Anomalies.NONE, DamageView.NONE,
                List.of(new ThreadRow("7", name, new TransactionTotals(10, 2, 1_000_000_000L, 250_000_000L, 50_000_000L))));
        int[] line = new int[Timeline.COLUMNS];
        line[3] = 2;
        SiteRow row = new SiteRow(1, RowKind.contention("WRITE_WRITE"), name, 3, 250_000_000L, 50_000_000L, List.of(name), List.of(name), 2,
                name, name, line);
        TopView top = new TopView(s, TopView.Grouping.SITE, TopView.Ranking.LOST, 1, 1, 0, List.of(row));
        ThreadTimelineView t = new ThreadTimelineView("7", name, List.of(new SpanView(0, 500_000_000L, SpanView.Outcome.COMMITTED),
                new SpanView(600_000_000L, 700_000_000L, SpanView.Outcome.ABORTED),
                new SpanView(700_000_000L, 750_000_000L, SpanView.Outcome.WAIT),
                new SpanView(800_000_000L, 900_000_000L, SpanView.Outcome.INEVITABLE)), 4, 1);
        Map<String, int[]> kinds = new LinkedHashMap<>();
        kinds.put("WRITE_WRITE", new int[] {0, 3, 1, 0});
        return new ReportView(top, List.of(t), new ConflictSeries(0, 2_000_000_000L, 4, kinds), 100,
                new StackProfile("lost", List.of(new StackProfile.Sample(List.of(StackProfile.Frame.pseudo("WRITE_WRITE"),
                        new StackProfile.Frame("Main.run", "Main.java", 3), new StackProfile.Frame(name, "App.java", 42)),
                        300_000_000L))));
    }

    static void assertPng(byte[] png, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 2) for (int x = 0; x < width; x += 2) colours.add(img.getRGB(x, y));
        assertTrue(colours.size() >= 5, "blank: " + colours.size());
    }

    @Test
    void chartsDrawEvenWhenEmpty() throws IOException {
        ReportView r = report("a");
        assertPng(PngCharts.lostPerSite(r.top(), 640, 400), 640, 400);
        assertPng(PngCharts.cpuBreakdown(r.summary(), 640, 400), 640, 400);
        assertPng(PngCharts.threadTimeline(r.timelines(), 100, 640, 400), 640, 400);
        assertPng(PngCharts.conflictsOverTime(r.conflicts(), 640, 400), 640, 400);
        assertPng(PngCharts.threadTimeline(List.of(), 100, 320, 200), 320, 200);
        assertPng(PngCharts.conflictsOverTime(new ConflictSeries(0, 0, 0, Map.of()), 320, 200), 320, 200);
        ScaleView none = new ScaleView(List.of());
        assertPng(PngCharts.scaleThroughput(none, 320, 200), 320, 200);
        assertPng(PngCharts.scaleTime(none, 320, 200), 320, 200);
    }

    @Test
    void escapesEverythingFromTheLog(@TempDir Path dir) throws IOException {
        ReportFolder.writeReport(report(HOSTILE), dir);
        String html = Files.readString(dir.resolve("index.html"));
        assertEquals(1, html.split("<script", -1).length - 1);
        assertFalse(html.contains("</textarea>"));
        assertFalse(html.contains("\u2028"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;/textarea&gt;&#x2028;javascript:x"));
        assertEquals("a&lt;b&gt;&amp;&quot;&#39;\ufffd", Html.escape("a<b>&\"'\u0001"));
    }

    @Test
    void bothSidesShowTheirSourceLineEscaped() throws IOException {
        ReportView r = report("a");
        SiteRow row = new SiteRow(1, RowKind.contention("WRITE_READ"), "p.C.m(C.java:1)", 3, 250_000_000L, 0, List.of("p.C.m(C.java:1)"),
                List.of("p.D.w(D.java:2)"), 1, "long v = a.get();", "if (n < max && ok) a.set(n);",
                new int[Timeline.COLUMNS]);
        TopView top = new TopView(r.summary(), TopView.Grouping.SITE, TopView.Ranking.LOST, 1, 1, 0, List.of(row));
        StringBuilder b = new StringBuilder();
        new HtmlReportWriter().writeReportPage(new ReportView(top, r.timelines(), r.conflicts(), 100, r.lostByStack()), List.of(), b);
        String html = b.toString();
        assertTrue(html.contains("<div class=\"stack victim\"><h4>this side (the victim)</h4><ol><li><code>p.C.m(C.java:1)"
                + "</code></li></ol><pre>long v = a.get();</pre></div>"), html);
        assertTrue(html.contains("<div class=\"stack other\"><h4>other side</h4><ol><li><code>p.D.w(D.java:2)</code></li>"
                + "</ol><pre>if (n &lt; max &amp;&amp; ok) a.set(n);</pre></div>"), html);
    }

    @Test
    void csvHeadersAreGolden() {
        StringBuilder b = new StringBuilder();
        CsvReportWriter csv = new CsvReportWriter();
        csv.writeSpans(report("a").timelines(), b);
        assertEquals("thread,name,start_s,end_s,duration_s,outcome\n7,a,0,0.5,0.5,committed\n7,a,0.6,0.7,0.1,aborted\n"
                + "7,a,0.7,0.75,0.05,wait\n7,a,0.8,0.9,0.1,inevitable\n", b.toString());
        b.setLength(0);
        csv.writeConflicts(report("a").conflicts(), b);
        assertEquals("from_s,to_s,kind,conflicts\n0,0.5,WRITE_WRITE,0\n0.5,1,WRITE_WRITE,3\n1,1.5,WRITE_WRITE,1\n"
                + "1.5,2,WRITE_WRITE,0\n", b.toString());
        b.setLength(0);
        csv.writeScale(new ScaleView(List.of(new ScaleRun("x.stmlog", "stm", 2, false, "commits", 500, 1_000_000_000L,
                1_000_000_000L, 0, new TransactionTotals(500, 3, 250_000_000L, 10_000_000L, 0)))), b);
        assertEquals("mode,threads,baseline,throughput_per_s,throughput_from,operations,measured_s,speedup_vs_1_thread,"
                + "speedup_vs_serial,wall_s,marks,committed,aborted,committed_s,aborted_s,paused_s,file\n"
                + "stm,2,false,500,commits,500,1,,,1,0,500,3,0.25,0.01,0,x.stmlog\n", b.toString());
    }
}
