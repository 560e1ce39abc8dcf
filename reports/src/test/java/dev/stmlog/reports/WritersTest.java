package dev.stmlog.reports;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WritersTest {
    static SummaryView summary() {
        return new SummaryView(new SummaryView.Sources(List.of("a.stmlog"), 100), 2_000_000_000L,
                new SummaryView.Window(0, 2_000_000_000L, false), 1,
                new TransactionTotals(10, 2, 1_000_000_000L, 250_000_000L, 50_000_000L), 20_000_000L,
                SummaryView.Anomalies.NONE, DamageView.NONE,
                List.of(new ThreadRow("7", "main", new TransactionTotals(10, 2, 1_000_000_000L, 250_000_000L, 50_000_000L))));
    }

    static TopView top() {
        int[] line = new int[Timeline.COLUMNS];
        line[3] = 2;
        line[59] = 1;
        SiteRow row = new SiteRow(1, RowKind.contention("WRITE_WRITE"), "p.C.m(C.java:1)", 3, 250_000_000L, 50_000_000L,
                List.of("p.C.m(C.java:1)", "p.C.n(C.java:9)"), List.of("p.D.w(D.java:2)"), 1, "x = \"y, z\";",
                "if (a < b && c) d();", line);
        return new TopView(summary(), TopView.Grouping.SITE, TopView.Ranking.LOST, 2, 1, 0, List.of(row));
    }

    /** Conflicts completed from others on their object are said, in text and JSON, only when there are some. */
    @Test
    void topSaysHowManyConflictsItMerged() {
        TopView t = top();
        TopView merged = new TopView(t.summary(), t.grouping(), t.ranking(), t.depth(), t.totalRows(), 7, t.sites());
        StringWriter text = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeTop(merged, new PrintWriter(text));
        assertTrue(text.toString().contains("\n7 conflicts recorded without one of their sides counted with the others"
                + " on the same object.\n"), text.toString());
        StringWriter none = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeTop(t, new PrintWriter(none));
        assertFalse(none.toString().contains("recorded without"), none.toString());
        StringBuilder json = new StringBuilder();
        new JsonReportWriter().writeTop(merged, json);
        assertTrue(json.toString().contains("\"merged_conflicts\": 7,"), json.toString());
    }

    @Test
    void csvGolden() {
        StringBuilder b = new StringBuilder();
        new CsvReportWriter().writeTop(top(), b);
        List<String> lines = b.toString().lines().toList();
        assertEquals("rank,kind,key,count,lost_s,paused_s,total_s,frames,other_frames,other_variants,source_line,timeline,"
                + "other_source_line,hint", lines.get(0));
        assertTrue(lines.get(1).startsWith(
                "1,WRITE_WRITE,p.C.m(C.java:1),3,0.25,0.05,0.3,p.C.m(C.java:1) | p.C.n(C.java:9),p.D.w(D.java:2),1,\"x = \"\"y, z\"\";\",0 0 0 2 0"),
                lines.get(1));
        assertTrue(lines.get(1).endsWith(" 0 1,if (a < b && c) d();,"), lines.get(1)); // no hint: empty
        StringBuilder s = new StringBuilder();
        new CsvReportWriter().writeSummary(summary(), s);
        assertEquals("thread,name,committed,aborted,committed_s,aborted_s,paused_s,total_s\n"
                + "7,main,10,2,1,0.25,0.05,1.3\n*,,10,2,1,0.25,0.05,1.3\n", s.toString());
    }

    @Test
    void textTop() {
        StringWriter w = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeTop(top(), new PrintWriter(w));
        String out = w.toString();
        assertTrue(out.contains("Wall time:         2.0 s"), out);
        assertTrue(out.contains("  aborted          250 ms      12.5%"), out);
        assertTrue(out.contains("#1   250 ms lost in aborts, 50.0 ms paused (3x WRITE_WRITE)"), out);
        assertTrue(out.contains("     at p.C.m(C.java:1)\n          > x = \"y, z\";\n"), out);
        assertTrue(out.contains("     other side: p.D.w(D.java:2)\n          > if (a < b && c) d();\n"), out);
        assertTrue(out.contains("time line: |   @" + " ".repeat(55) + "+|"), out);
        StringWriter c = new StringWriter();
        new TextReportWriter(new TextOptions(true, true)).writeTop(top(), new PrintWriter(c));
        assertTrue(c.toString().contains("\u001b[1m#1   0.25 s lost in aborts, 0.05 s paused (3x WRITE_WRITE)"), c.toString());
    }

    @Test
    void jsonTopHasBothSourceLines() {
        StringBuilder b = new StringBuilder();
        new JsonReportWriter().writeTop(top(), b);
        assertTrue(b.toString().contains("      \"source_line\": \"x = \\\"y, z\\\";\",\n"
                + "      \"other_source_line\": \"if (a \\u003c b \\u0026\\u0026 c) d();\",\n"), b.toString());
        TopView none = new TopView(summary(), TopView.Grouping.KIND, TopView.Ranking.LOST, 1, 1, 0, List.of(new SiteRow(1, new RowKind(RowKind.Origin.UNEXPLAINED_WAIT, "LOCK"), "WAIT_LOCK", 1, 0, 5,
                List.of(), List.of(), 0, null, null, new int[Timeline.COLUMNS])));
        b.setLength(0);
        new JsonReportWriter().writeTop(none, b);
        assertTrue(b.toString().contains("\"source_line\": null,\n      \"other_source_line\": null,"), b.toString());
    }

    /** A row's hint: one line under it in text, an object in JSON (null without), the last CSV column, HTML escaped. */
    @Test
    void hintInEveryFormat() {
        TopView t = top();
        SiteRow r = t.sites().get(0);
        Hint hint = new Hint(Hint.Kind.COMMUTE, "both sides read and write `a<b>` at C.java:1: use Ref.commute");
        SiteRow hinted = new SiteRow(r.rank(), r.kind(), r.key(), r.count(), r.lostNanos(), r.pausedNanos(), r.frames(),
                r.otherFrames(), r.otherVariants(), r.sourceLine(), r.otherSourceLine(), r.timeline(), hint);
        TopView top = new TopView(t.summary(), t.grouping(), t.ranking(), t.depth(), t.totalRows(), 0, List.of(hinted));

        StringWriter text = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeTop(top, new PrintWriter(text));
        assertTrue(text.toString().contains("+|\n     hint: both sides read and write `a<b>` at C.java:1: use Ref.commute\n"),
                text.toString());
        StringWriter plain = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeTop(t, new PrintWriter(plain));
        assertFalse(plain.toString().contains("hint:"), plain.toString());

        StringBuilder json = new StringBuilder();
        new JsonReportWriter().writeTop(top, json);
        assertTrue(json.toString().contains("\"hint\": {\n        \"kind\": \"commute\",\n        \"text\": \"both sides read and"
                + " write `a\\u003cb\\u003e` at C.java:1: use Ref.commute\"\n      }"), json.toString());
        json.setLength(0);
        new JsonReportWriter().writeTop(t, json);
        assertTrue(json.toString().contains("\"hint\": null\n"), json.toString());

        StringBuilder csv = new StringBuilder();
        new CsvReportWriter().writeTop(top, csv);
        assertTrue(csv.toString().lines().toList().get(1).endsWith(
                ",if (a < b && c) d();,both sides read and write `a<b>` at C.java:1: use Ref.commute"), csv.toString());

        StringBuilder page = new StringBuilder();
        try {
            new HtmlReportWriter().writeReportPage(new ReportView(top, List.of(), new ConflictSeries(0, 1, 1, java.util.Map.of()),
                    100, new dev.stmlog.reports.export.StackProfile("lost", List.of())), List.of(), page);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String html = page.toString();
        assertTrue(html.contains("<p class=\"hint\" data-hint=\"commute\">hint: both sides read and write `a&lt;b&gt;` at"
                + " C.java:1: use Ref.commute</p>"), html);
    }

    @Test
    void units() {
        assertEquals("812 ns", Units.duration(812, false));
        assertEquals("12.3 us", Units.duration(12_340, false));
        assertEquals("1.2 ms", Units.duration(1_234_567, false));
        assertEquals("345 ms", Units.duration(345_000_000, false));
        assertEquals("14.8 s", Units.duration(14_800_000_000L, false));
        assertEquals("1.0 ms", Units.duration(999_990, false));
        assertEquals("1.234567890 s".replace("890", "89"), Units.duration(1_234_567_890, true));
        assertEquals("0", Units.seconds(0));
        assertEquals("12,345", Units.count(12345, false));
        assertEquals("12345", Units.count(12345, true));
        assertEquals("12.5%", Units.percent(1, 8));
    }

    @Test
    void timeline() {
        assertEquals(" .@", Timeline.draw(new int[] {0, 1, 9}));
        assertEquals("@@", Timeline.draw(new int[] {1, 1}));
        assertEquals("   ", Timeline.draw(new int[3]));
    }
}
