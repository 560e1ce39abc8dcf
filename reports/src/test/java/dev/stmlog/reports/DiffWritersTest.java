package dev.stmlog.reports;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DiffView} in each format: percentages from 0, signs, escaping. */
class DiffWritersTest {

    /** A comparison of {@link WritersTest#summary()} with itself: one row doubled, one new, one gone. */
    static DiffView diff() {
        DiffView.Side side = new DiffView.Side(WritersTest.summary(), 3,
                new DiffView.Throughput(DiffView.Basis.WINDOW, 100, 2_000_000_000L));
        DiffView.Side faster = new DiffView.Side(WritersTest.summary(), 4,
                new DiffView.Throughput(DiffView.Basis.WINDOW, 150, 2_000_000_000L));
        List<DiffView.SiteChange> rows = List.of(
                new DiffView.SiteChange(1, DiffView.Status.CHANGED, RowKind.contention("WRITE_WRITE"), "p.C.m(C.java:1)",
                        List.of("p.C.m(C.java:1)"), List.of("p.D.w(D.java:2)"), "if (a < b && c) d();",
                        new DiffView.Figures(2, 100_000_000L, 0), new DiffView.Figures(2, 200_000_000L, 0)),
                new DiffView.SiteChange(2, DiffView.Status.NEW, RowKind.contention("WRITE_READ"), "<script>x</script>",
                        List.of("<script>x</script>"), List.of(), null, DiffView.Figures.NONE,
                        new DiffView.Figures(1, 50_000_000L, 0)),
                new DiffView.SiteChange(3, DiffView.Status.GONE, new RowKind(RowKind.Origin.UNEXPLAINED_WAIT, "LOCK"),
                        "(unknown)", List.of(), List.of(), null, new DiffView.Figures(1, 0, 2_000_000L),
                        DiffView.Figures.NONE));
        return new DiffView(side, faster, TopView.Grouping.SITE, TopView.Ranking.LOST, 1,
                new DiffView.StatusCounts(1, 0, 1, 1), rows);
    }

    @Test
    void percentagesFromZeroHaveNoValue() {
        assertNull(DiffView.percentChange(0, 5));
        assertEquals(0.0, DiffView.percentChange(0, 0));
        assertEquals(100.0, DiffView.percentChange(2, 4));
        assertEquals(-50.0, DiffView.percentChange(-2, -3));
        assertEquals("new", DiffView.percentText(0, 5));
        assertEquals("+100.0%", DiffView.percentText(2, 4));
        assertEquals("0.0%", DiffView.percentText(3, 3));
        assertEquals("-33.3%", DiffView.percentText(3, 2));
    }

    @Test
    void textShowsSignedChangesAndNoControlCharacters() {
        StringWriter out = new StringWriter();
        new TextReportWriter(TextOptions.PLAIN).write(diff(), new PrintWriter(out));
        String text = out.toString();
        assertTrue(text.contains("#1   changed WRITE_WRITE lost +100 ms, paused 0 ns, count 0 (+100.0% lost)"), text);
        assertTrue(text.contains("#2   new     WRITE_READ lost +50.0 ms, paused 0 ns, count +1 (new lost)"), text);
        assertTrue(text.contains("#3   gone    WAIT_LOCK lost 0 ns, paused -2.0 ms, count -1 (0.0% lost)"), text);
        assertTrue(text.contains("(from window)"), text);
        assertTrue(text.contains("Sites: 1 changed, 1 new, 1 gone, 0 the same"), text);
    }

    @Test
    void jsonHasNullForAPercentageFromZero() {
        StringBuilder out = new StringBuilder();
        new JsonReportWriter().write(diff(), out);
        String json = out.toString();
        assertTrue(json.contains("\"document\": \"diff\""), json);
        assertTrue(json.contains("\"lost_pct\": null"), json);
        assertTrue(json.contains("\"throughput_pct\": 50.0"), json);
        assertTrue(json.contains("\"key\": \"\\u003cscript\\u003ex\\u003c/script\\u003e\""), json);
    }

    @Test
    void csvLeavesAPercentageFromZeroEmpty() {
        StringBuilder out = new StringBuilder();
        new CsvReportWriter().write(diff(), out);
        List<String> lines = out.toString().lines().toList();
        assertEquals(String.join(",", DiffCsv.HEADER), lines.get(0));
        assertEquals("2,new,WRITE_READ,<script>x</script>,0,1,1,,0,0.05,0.05,,0,0,0,0,0,0.05,0.05,,<script>x</script>,",
                lines.get(2));
    }

    @Test
    void theHtmlSectionEscapesEverything() {
        Html h = new Html();
        DiffHtml.section(diff(), h);
        String html = h.toString();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<code>&lt;script&gt;x&lt;/script&gt;</code>"), html);
        assertTrue(html.contains("<pre>if (a &lt; b &amp;&amp; c) d();</pre>"), html);
        assertTrue(html.contains("<tr class=\"diff-new\">"), html);
    }
}
