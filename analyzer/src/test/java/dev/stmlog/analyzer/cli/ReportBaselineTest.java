package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.TestLog;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.WaitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.stmlog.analyzer.TestLog.MS;
import static dev.stmlog.analyzer.TestLog.frame;
import static dev.stmlog.analyzer.cli.ReportCommandTest.IMG;
import static dev.stmlog.analyzer.cli.ReportCommandTest.JS_URL;
import static dev.stmlog.analyzer.cli.ReportCommandTest.PWN;
import static dev.stmlog.analyzer.cli.ReportCommandTest.SCRIPT;
import static dev.stmlog.analyzer.cli.ReportCommandTest.TEXTAREA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stmlog report --baseline BASE}: the comparison section, escaped, in a real browser. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReportBaselineTest {
    @TempDir
    Path dir;

    @Test
    void theSectionShowsEachRowsChange() throws Exception {
        Path planted = Planted.write(dir.resolve("planted.stmlog"));
        Path changed = DiffCommandTest.writeChanged(dir.resolve("changed.stmlog"));
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("report", "--baseline", planted.toString(), "-o", out.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<h2>Compared with the baseline</h2>"), html);
        assertTrue(html.contains("1 changed, 0 new, 1 gone, 2 the same"), html);
        // rows: the changed site first (+25 ms lost), the gone one second
        Matcher rows = Pattern.compile("<tr class=\"diff-(\\w+)\">.*?<code>([^<]*)</code>").matcher(html);
        assertTrue(rows.find(), html);
        assertEquals("changed com.example.Bank.transfer(Bank.java:42)", rows.group(1) + " " + rows.group(2));
        assertTrue(rows.find());
        assertEquals("gone com.example.Bank.audit(Bank.java:99)", rows.group(1) + " " + rows.group(2));
        assertTrue(html.contains("<td class=\"num\" data-v=\"0.025\">+25.0 ms</td>"), html);
        assertTrue(html.contains("<td class=\"num\" data-v=\"-0.006\">-6.0 ms</td>"), html);

        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        String dom = page.dom();
        assertTrue(dom.contains("data-test-done=\"yes\""), ReportCommandTest.tail(dom));
        assertTrue(dom.contains("data-test-diff-rows=\"4\""), ReportCommandTest.tail(dom));
        assertTrue(dom.contains("data-test-diff-sorted=\"ok\""), ReportCommandTest.tail(dom));
        assertTrue(dom.contains("data-test-sites-sorted=\"ok\""), ReportCommandTest.tail(dom));

        // without --baseline, no section
        Path plain = dir.resolve("plain");
        assertEquals(0, Cli.run("report", "-o", plain.toString(), changed.toString()).status());
        assertFalse(Files.readString(plain.resolve("index.html")).contains("Compared with the baseline"));
    }

    @Test
    void hostileStringsInEitherLogNeverRun() throws Exception {
        Frame evil = frame(SCRIPT, TEXTAREA, JS_URL, 1);
        Frame evil2 = frame(IMG, "m'\"\u2028\u2029", "</script>", 2);
        Path base = hostile(dir.resolve("base\"'<img src=x onerror=alert(1)>.stmlog"), evil, evil2, 1005);
        Path now = hostile(dir.resolve("new<b onmouseover=\"x\">'.stmlog"), evil2, evil, 1009);
        Path out = dir.resolve("evil-report");
        Cli.Result r = Cli.run("report", "--by", "pair", "--depth", "3", "--baseline", base.toString(), "-o",
                out.toString(), now.toString());
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("Compared with the baseline"), html);
        assertEquals(1, ReportTesting.count(html, "<script"), "only the page's own script");
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<textarea") || html.contains("</textarea"));
        assertFalse(html.contains("\u2028") || html.contains("\u2029"));
        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        String dom = page.dom();
        assertTrue(dom.contains("data-test-done=\"yes\""), ReportCommandTest.tail(dom));
        assertTrue(dom.contains("data-test-diff-sorted=\"ok\""), ReportCommandTest.tail(dom));
        assertFalse(Pattern.compile("<html[^>]*data-pwned").matcher(dom).find(), "an injected script ran");
        assertEquals(1, ReportTesting.count(dom, "<script"), "no script element beyond the page's own");
        assertFalse(dom.contains("<img src=\"x\"") || dom.contains("<img src=x"), "no injected image");
        assertFalse(Pattern.compile("href=\"javascript:", Pattern.CASE_INSENSITIVE).matcher(dom).find());
        // the baseline's file name and the hostile frames are in the section, as text
        int section = dom.indexOf("Compared with the baseline");
        assertTrue(section > 0, ReportCommandTest.tail(dom));
        assertTrue(dom.indexOf("base\"'&lt;img src=x onerror=alert(1)&gt;.stmlog", section) > 0
                || dom.indexOf("base\"'&lt;img src=x onerror=alert(1)&gt;.stmlog".replace("\"", "&quot;"), section) > 0,
                dom.substring(section, Math.min(dom.length(), section + 3000)));
        assertTrue(dom.indexOf("&lt;script&gt;" + PWN + "1')&lt;/script&gt;", section) > 0, "a hostile frame shown as text");
    }

    /** A conflict between the two hostile frames; the victim's abort at {@code abortMs}. */
    static Path hostile(Path file, Frame victim, Frame other, long abortMs) throws IOException {
        return new TestLog()
                .name(1, SCRIPT).name(2, IMG + TEXTAREA)
                .start(1, 1000 * MS)
                .contention(1, 1004 * MS, ContentionKind.WRITE_WRITE, 2, List.of(victim), List.of(other), JS_URL)
                .abort(1, abortMs * MS)
                .start(1, 1010 * MS).commit(1, 1016 * MS)
                .start(2, 1000 * MS)
                .waitBegin(2, 1001 * MS, WaitKind.LOCK).waitEnd(2, 1003 * MS, WaitKind.LOCK)
                .contention(2, 1007 * MS, ContentionKind.WRITE_READ, 1, List.of(other), List.of(victim), SCRIPT)
                .abort(2, 1008 * MS)
                .start(2, 1010 * MS).commit(2, 1020 * MS)
                .mark(2, 1021 * MS, TEXTAREA, 1)
                .write(file);
    }
}
