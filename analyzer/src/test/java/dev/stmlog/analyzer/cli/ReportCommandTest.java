package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.TestLog;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.WaitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import static dev.stmlog.analyzer.TestLog.MS;
import static dev.stmlog.analyzer.TestLog.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReportCommandTest {
    @TempDir
    static Path dir;
    static Path planted;
    static Path report;

    static final String PWN = "document.documentElement.setAttribute('data-pwned','";
    static final String SCRIPT = "<script>" + PWN + "1')</script>";
    static final String IMG = "\"><img src=x onerror=\"" + PWN + "2')\">";
    static final String TEXTAREA = "</textarea></script><script>" + PWN + "3')</script>";
    static final String JS_URL = "javascript:" + PWN + "4')";

    @BeforeAll
    static void write() throws IOException {
        planted = Planted.write(dir.resolve("planted.stmlog"));
        report = dir.resolve("report");
        Cli.Result r = Cli.run("report", "-o", report.toString(), planted.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("index.html"), r.out());
    }

    @Test
    void writesThePageChartsAndCsvFiles() throws IOException {
        for (String f : List.of("index.html", "sites.csv", "threads.csv", "transactions.csv", "conflicts.csv",
                "time-lost-per-site.png", "cpu-breakdown.png", "thread-timeline.png", "conflicts-over-time.png")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        ReportTesting.assertChart(report.resolve("time-lost-per-site.png"), 1000, 480);
        ReportTesting.assertChart(report.resolve("cpu-breakdown.png"), 1000, 480);
        BufferedImage timeline = ReportTesting.assertChart(report.resolve("thread-timeline.png"), 1000, 480);
        assertTrue(hasColour(timeline, 0x2e7d32), "committed transactions drawn");
        assertTrue(hasColour(timeline, 0xc62828), "aborted transactions drawn");
        ReportTesting.assertChart(report.resolve("conflicts-over-time.png"), 1000, 480);
    }

    static boolean hasColour(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) == rgb) return true;
        }
        return false;
    }

    @Test
    void csvHeadersAreStableAndNumbersRaw() throws IOException {
        assertEquals("rank,kind,key,count,lost_s,paused_s,total_s,frames,other_frames,other_variants,source_line,timeline,"
                + "other_source_line,hint", firstLine("sites.csv"));
        assertEquals("thread,name,committed,aborted,committed_s,aborted_s,paused_s,total_s", firstLine("threads.csv"));
        assertEquals("thread,name,start_s,end_s,duration_s,outcome", firstLine("transactions.csv"));
        assertEquals("from_s,to_s,kind,conflicts", firstLine("conflicts.csv"));
        List<String> sites = Files.readAllLines(report.resolve("sites.csv"));
        assertTrue(sites.get(1).startsWith("1,WRITE_WRITE,com.example.Bank.transfer(Bank.java:42),2,0.025,0.001,0.026,"),
                sites.get(1));
        List<String> spans = Files.readAllLines(report.resolve("transactions.csv"));
        // thread 1: aborted 1.000-1.005, backoff 1.005-1.006, committed 1.006-1.016, ...
        assertTrue(spans.contains("1,alpha,1,1.005,0.005,aborted"), spans.toString());
        assertTrue(spans.contains("1,alpha,1.005,1.006,0.001,wait"), spans.toString());
        assertTrue(spans.contains("1,alpha,1.006,1.016,0.01,committed"), spans.toString());
        for (String f : List.of("sites.csv", "threads.csv", "transactions.csv", "conflicts.csv")) {
            String text = Files.readString(report.resolve(f));
            assertFalse(text.matches("(?s).*\\d (ms|us|ns|s)\\b.*"), f + " holds a unit: " + text);
        }
    }

    static String firstLine(String file) throws IOException {
        return Files.readAllLines(report.resolve(file)).get(0);
    }

    @Test
    void pageIsSelfContained() throws IOException {
        String html = Files.readString(report.resolve("index.html"));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:|//)").matcher(html).find(), "no network loads");
        assertFalse(html.contains("@import") || html.contains("url("), "no CSS loads");
        Matcher m = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            assertTrue(m.group(1).startsWith("data:image/png;base64,"), m.group(1));
            images++;
        }
        assertEquals(4, images);
        assertTrue(html.contains("prefers-color-scheme: dark"));
        assertTrue(html.contains("name=\"viewport\""));
    }

    @Test
    void opensInChromiumAndSorts() throws Exception {
        Chromium.Page page = Chromium.open(report.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        String dom = page.dom();
        assertTrue(dom.contains("data-test-done=\"yes\""), "the page's script ran: " + tail(dom));
        assertTrue(dom.contains("data-test-sites-rows=\"4\""), tail(dom));
        assertTrue(dom.contains("data-test-sites-sorted=\"ok\""), tail(dom));
        assertTrue(dom.contains("data-test-threads-rows=\"2\""), tail(dom));
        assertTrue(dom.contains("data-test-threads-sorted=\"ok\""), tail(dom));
        assertTrue(dom.contains("data-test-filter=\"ok\""), tail(dom));
        assertTrue(dom.contains("com.example.Bank.deposit(Bank.java:57)"), "the other side is shown");
        // the flame graph: Teller.serve > Bank.transfer (26 ms), Bank.audit (6 ms), laid out in the page
        assertTrue(dom.contains("data-test-flame-frames=\"3\""), tail(dom));
        assertTrue(dom.contains("data-test-flame-widest=\"com.example.Teller.serve(Teller.java:7)\""), tail(dom));
    }

    @Test
    void sourcePathShowsBothSidesLinesEscaped() throws Exception {
        Path src = Planted.sources(dir.resolve("src"));
        Path out = dir.resolve("source-report");
        Cli.Result r = Cli.run("report", "--source-path", src.toString(), "-o", out.toString(), planted.toString());
        assertEquals(0, r.status(), r.err());
        String victim = "<pre>" + Planted.A_LINE + "</pre>";
        String other = "<pre>if (amount &lt; limit &amp;&amp; to != null) to.set(to.get() + amount);</pre>";
        String html = Files.readString(out.resolve("index.html"));
        assertFalse(html.contains(Planted.D_LINE), "the other side's line is escaped");
        // the first site: its own line under the victim's frames, D's under the other side's
        assertTrue(html.contains("<code>com.example.Bank.transfer(Bank.java:42)</code></li></ol>" + victim
                + "</div><div class=\"stack other\"><h4>other side</h4><ol><li><code>com.example.Bank.deposit(Bank.java:57)"
                + "</code></li></ol>" + other + "</div>"), html);
        // the second site's other side is A
        assertTrue(html.contains("<ol><li><code>com.example.Bank.transfer(Bank.java:42)</code></li></ol>" + victim
                + "</div></details>"), html);

        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        String dom = page.dom();
        assertTrue(dom.contains("data-test-done=\"yes\""), tail(dom));
        // parsed as text, not markup: Chromium writes it back escaped, inside the other side's box
        Matcher m = Pattern.compile("<div class=\"stack other\">(.*?)</div>").matcher(dom);
        assertTrue(m.find(), tail(dom));
        assertTrue(m.group(1).contains(other), m.group(1));
    }

    static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }

    @Test
    void hostileStringsNeverRun() throws Exception {
        Frame evil = frame(SCRIPT, TEXTAREA, JS_URL, 1);
        Frame evil2 = frame(IMG, "m'\"\u2028\u2029", "</script>", 2);
        Path log = dir.resolve("evil\"'<img src=x onerror=alert(1)>.stmlog");
        new TestLog()
                .name(1, SCRIPT).name(2, IMG + TEXTAREA)
                .start(1, 1000 * MS)
                .contention(1, 1004 * MS, ContentionKind.WRITE_WRITE, 2, List.of(evil), List.of(evil2), JS_URL)
                .abort(1, 1005 * MS)
                .start(1, 1006 * MS).commit(1, 1016 * MS)
                .start(2, 1000 * MS)
                .waitBegin(2, 1001 * MS, WaitKind.LOCK).waitEnd(2, 1003 * MS, WaitKind.LOCK)
                .contention(2, 1007 * MS, ContentionKind.WRITE_READ, 1, List.of(evil2), List.of(evil), SCRIPT)
                .abort(2, 1008 * MS)
                .start(2, 1010 * MS)
                .add(new BecomeInevitable(1012 * MS, 2, new Stack(List.of(evil))))
                .commit(2, 1020 * MS)
                .mark(2, 1021 * MS, TEXTAREA, 1)
                .write(log);
        Path out = dir.resolve("evil-report");
        Cli.Result r = Cli.run("report", "--by", "pair", "--depth", "3", "-o", out.toString(), log.toString());
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertEquals(1, ReportTesting.count(html, "<script"), "only the page's own script");
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<textarea") || html.contains("</textarea"));
        assertFalse(html.contains("\u2028") || html.contains("\u2029"));
        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        String dom = page.dom();
        assertTrue(dom.contains("data-test-done=\"yes\""), tail(dom));
        assertFalse(Pattern.compile("<html[^>]*data-pwned").matcher(dom).find(), "an injected script ran");
        assertEquals(1, ReportTesting.count(dom, "<script"), "no script element beyond the page's own");
        assertFalse(dom.contains("<img src=\"x\"") || dom.contains("<img src=x"), "no injected image");
        assertTrue(dom.contains("&lt;script&gt;" + PWN.replace("'", "'") + "1')&lt;/script&gt;"), "shown as text");
        assertFalse(Pattern.compile("href=\"javascript:", Pattern.CASE_INSENSITIVE).matcher(dom).find());
    }

    @Test
    void pypyLogsAndSampling() throws Exception {
        Path pypy = Path.of("src/test/resources/pypy-vectors/c8-small-2k/c8-small-2k.stmlog");
        Path out = dir.resolve("pypy-report");
        Cli.Result r = Cli.run("report", "--spans", "8", "-o", out.toString(), pypy.toString());
        assertEquals(0, r.status(), r.err());
        ReportTesting.assertChart(out.resolve("thread-timeline.png"), 1000, 480);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("at most 8 spans per thread"), "the sampling is said");
        List<String> spans = Files.readAllLines(out.resolve("transactions.csv"));
        assertTrue(spans.size() > 1 && spans.size() <= 1 + 4 * 8, spans.size() + " lines");
        assertEquals(2, Cli.run("report", "--spans", "1", "-o", out.toString(), pypy.toString()).status());
        assertEquals(2, Cli.run("report", pypy.toString()).status(), "-o is required");
    }
}
