package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import dev.stmlog.analyzer.TestLog;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.WaitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.stmlog.analyzer.TestLog.MS;
import static dev.stmlog.analyzer.TestLog.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DiffCommandTest {
    @TempDir
    static Path dir;
    /** {@link Planted}'s log: A 25 ms lost + 1 ms paused (2x), B 6 ms (1x), WAIT_LOCK 2 ms, ABORT_EXCEPTION 0.5 ms. */
    static Path planted;
    /** The same run with B's conflict gone (thread 2 commits instead) and A's lost time doubled (50 ms). */
    static Path changed;

    @BeforeAll
    static void write() throws IOException {
        planted = Planted.write(dir.resolve("planted.stmlog"));
        changed = writeChanged(dir.resolve("changed.stmlog"));
    }

    /**
     * Planted's events with A's aborted attempts twice as long (10 and 40 ms: 50 ms lost) and
     * thread 2's conflict at B gone: its first attempt commits.
     */
    static Path writeChanged(Path file) throws IOException {
        List<Frame> a = List.of(Planted.RUNTIME, Planted.A, Planted.A_CALLER);
        return new TestLog()
                .name(1, "alpha").name(2, "beta")
                .start(1, 1000 * MS)
                .contention(1, 1004 * MS, ContentionKind.WRITE_WRITE, 2, a, List.of(Planted.D), "account#1")
                .abort(1, 1010 * MS)
                .waitBegin(1, 1010 * MS, WaitKind.BACKOFF).waitEnd(1, 1011 * MS, WaitKind.BACKOFF)
                .start(1, 1011 * MS).commit(1, 1021 * MS)
                .start(1, 2000 * MS)
                .contention(1, 2010 * MS, ContentionKind.WRITE_WRITE, 2, a, List.of(Planted.D), "account#1")
                .abort(1, 2040 * MS)
                .start(1, 2040 * MS).commit(1, 2050 * MS)
                .start(2, 1000 * MS)
                .waitBegin(2, 1001 * MS, WaitKind.LOCK).waitEnd(2, 1003 * MS, WaitKind.LOCK)
                .commit(2, 1008 * MS)
                .start(2, 1010 * MS).commit(2, 1020 * MS)
                .gc(2, 1500 * MS, 2 * MS)
                .start(2, 3 * S).abort(2, 3 * S + 500_000, AbortCause.EXCEPTION)
                .write(file);
    }

    @Test
    void aLogAgainstItselfShowsNoChange() {
        Cli.Result r = Cli.run("diff", "--fail-if", "lost > +1%", "--fail-if", "site-new", planted.toString(),
                planted.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("Sites: 0 changed, 0 new, 0 gone, 4 the same; by change in time lost in aborts:"),
                r.out());
        assertTrue(Pattern.compile("lost in aborts +31\\.5 ms +31\\.5 ms +0 ns +0\\.0%").matcher(r.out()).find(), r.out());
        assertFalse(r.out().contains("changed WRITE"), r.out());

        Map<String, Object> json = Json.object(Cli.run("diff", "--format", "json", planted.toString(), planted.toString()).out());
        assertEquals(0, decimal(path(json, "change", "lost_s")).signum());
        assertEquals(0, decimal(path(json, "change", "lost_pct")).signum());
        assertEquals(4, decimal(path(json, "rows", "same")).intValue());
        for (Object s : (List<?>) json.get("sites")) assertEquals("same", ((Map<?, ?>) s).get("status"));
    }

    @Test
    void showsTheRemovedSiteAndTheDoubledOneAsText() {
        Cli.Result r = Cli.run("diff", planted.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        String out = r.out();
        assertTrue(out.contains("Base:              " + planted + ", "), out);
        assertTrue(out.contains("New:               " + changed + ", "), out);
        assertTrue(Pattern.compile("lost in aborts +31\\.5 ms +50\\.5 ms +\\+19\\.0 ms +\\+60\\.3%").matcher(out).find(), out);
        assertTrue(Pattern.compile("paused +3\\.0 ms +3\\.0 ms +0 ns +0\\.0%").matcher(out).find(), out);
        assertTrue(Pattern.compile("conflicts +3 +2 +-1 +-33\\.3%").matcher(out).find(), out);
        assertTrue(out.contains("Sites: 1 changed, 0 new, 1 gone, 2 the same; by change in time lost in aborts:"), out);
        assertTrue(out.contains("#1   changed WRITE_WRITE lost +25.0 ms, paused 0 ns, count 0 (+100.0% lost)\n"
                + "     at com.example.Bank.transfer(Bank.java:42)\n"
                + "     other side: com.example.Bank.deposit(Bank.java:57)\n"
                + "     base: 25.0 ms lost, 1.0 ms paused, 2x;  new: 50.0 ms lost, 1.0 ms paused, 2x\n"), out);
        assertTrue(out.contains("#2   gone    WRITE_READ lost -6.0 ms, paused 0 ns, count -1 (-100.0% lost)\n"
                + "     at com.example.Bank.audit(Bank.java:99)\n"), out);
        // the unchanged rows last, in a stable order
        assertTrue(out.contains("#3   same    ABORT_EXCEPTION lost 0 ns"), out);
        assertTrue(out.contains("#4   same    WAIT_LOCK lost 0 ns"), out);
    }

    @Test
    void jsonHoldsBothSidesAndTheChange() {
        Cli.Result r = Cli.run("diff", "--format", "json", planted.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> json = Json.object(r.out());
        assertEquals("stmlog-1", json.get("format"));
        assertEquals("diff", json.get("document"));
        assertEquals("site", json.get("group_by"));
        assertEquals("lost", json.get("sort"));
        assertEquals(List.of(planted.toString()), path(json, "base", "files"));
        assertEquals(List.of(changed.toString()), path(json, "new", "files"));
        assertDecimal("0.0315", path(json, "base", "cpu_s", "aborted"));
        assertDecimal("0.0505", path(json, "new", "cpu_s", "aborted"));
        assertDecimal("0.019", path(json, "change", "lost_s"));
        assertDecimal("60.317", path(json, "change", "lost_pct"));
        assertDecimal("-1", path(json, "change", "conflicts"));
        assertDecimal("3", path(json, "base", "conflicts"));
        assertEquals("commits", path(json, "base", "throughput", "from"));
        assertDecimal("1", path(json, "rows", "changed"));
        assertDecimal("1", path(json, "rows", "gone"));
        assertDecimal("0", path(json, "rows", "new"));
        assertDecimal("2", path(json, "rows", "same"));
        List<?> sites = (List<?>) json.get("sites");
        assertEquals(4, sites.size());
        Map<?, ?> a = (Map<?, ?>) sites.get(0);
        assertEquals("changed", a.get("status"));
        assertEquals("WRITE_WRITE", a.get("kind"));
        assertEquals("com.example.Bank.transfer(Bank.java:42)", a.get("key"));
        assertEquals(List.of("com.example.Bank.transfer(Bank.java:42)"), a.get("frames"));
        assertDecimal("0.025", path(a, "base", "lost_s"));
        assertDecimal("0.05", path(a, "new", "lost_s"));
        assertDecimal("0.025", path(a, "change", "lost_s"));
        assertDecimal("100", path(a, "change", "lost_pct"));
        assertDecimal("0", path(a, "change", "count"));
        Map<?, ?> b = (Map<?, ?>) sites.get(1);
        assertEquals("gone", b.get("status"));
        assertEquals("WRITE_READ", b.get("kind"));
        assertEquals("com.example.Bank.audit(Bank.java:99)", b.get("key"));
        assertDecimal("0.006", path(b, "base", "lost_s"));
        assertDecimal("0", path(b, "new", "lost_s"));
        assertDecimal("-100", path(b, "change", "lost_pct"));

        // the other way round: B is new, and its change from nothing has no percentage
        Map<String, Object> reverse = Json.object(Cli.run("diff", "--format", "json", changed.toString(), planted.toString()).out());
        Map<?, ?> added = (Map<?, ?>) ((List<?>) reverse.get("sites")).get(1);
        assertEquals("new", added.get("status"));
        assertNull(path(added, "change", "lost_pct"));
        assertDecimal("1", path(reverse, "rows", "new"));
    }

    @Test
    void failIfHoldsOnlyForTheRegression() {
        // forward: B gone, A doubled, so fewer conflicts but more time lost
        Cli.Result forward = Cli.run("diff", "--fail-if", "site-new", "--fail-if", "count > +10%",
                "--fail-if", "lost < -10%", planted.toString(), changed.toString());
        assertEquals(0, forward.status(), forward.err());
        assertEquals("", forward.err());
        Cli.Result reverse = Cli.run("diff", "--fail-if", "site-new", "--fail-if", "count > +10%",
                "--fail-if", "lost < -10%", "--fail-if", "paused > +1ms", changed.toString(), planted.toString());
        assertEquals(1, reverse.status(), reverse.err());
        assertTrue(reverse.out().contains("Sites: 1 changed, 1 new, 0 gone, 2 the same"), "the output is kept: " + reverse.out());
        assertEquals(List.of(
                "stmlog diff: --fail-if 'site-new' holds: new row WRITE_READ com.example.Bank.audit(Bank.java:99)"
                        + " (6.0 ms lost + paused, 1x)",
                "stmlog diff: --fail-if 'count > +10%' holds: conflicts 2 -> 3, +1 (+50.0%)",
                "stmlog diff: --fail-if 'lost < -10%' holds: lost in aborts 50.5 ms -> 31.5 ms, -19.0 ms (-37.6%)"),
                reverse.errLines());

        Cli.Result lost = Cli.run("diff", "--fail-if", "lost > +10%", "--fail-if", "total>+19ms", "--fail-if",
                "site-lost >= +25ms", "--fail-if", "site-new > 1ms", planted.toString(), changed.toString());
        assertEquals(1, lost.status(), lost.err());
        assertEquals(List.of(
                "stmlog diff: --fail-if 'lost > +10%' holds: lost in aborts 31.5 ms -> 50.5 ms, +19.0 ms (+60.3%)",
                "stmlog diff: --fail-if 'site-lost >= +25ms' holds: changed row WRITE_WRITE"
                        + " com.example.Bank.transfer(Bank.java:42): lost 25.0 ms -> 50.0 ms (+100.0%)"),
                lost.errLines());
        // the reverse: a new row of 6 ms is above 1 ms, not above 20% of 34.5 ms
        assertEquals(1, Cli.run("diff", "--fail-if", "site-new > 1ms", changed.toString(), planted.toString()).status());
        assertEquals(0, Cli.run("diff", "--fail-if", "site-new > 20%", changed.toString(), planted.toString()).status());
        assertEquals(1, Cli.run("diff", "--fail-if", "site-new > 15%", changed.toString(), planted.toString()).status());
    }

    @Test
    void malformedExpressionsAreUsageErrorsNamingTheToken() {
        for (String[] bad : new String[][] {
                {"lost > +10x", "'+10x'"}, {"latency > 5%", "'latency'"}, {"lost >> 5%", "'>>'"}, {"lost", "'lost'"},
                {"lost >", "'>'"}, {"count > +5ms", "'+5ms'"}, {"paused > 5", "'5'"}, {"lost > 5% or", "'or'"},
                {"site-throughput < -5%", "'site-throughput'"}, {"site-new < 1ms", "'<'"}, {"", "''"}}) {
            Cli.Result r = Cli.run("diff", "--fail-if", bad[0], planted.toString(), changed.toString());
            assertEquals(2, r.status(), bad[0] + ": " + r.err());
            assertEquals("", r.out(), bad[0]);
            assertEquals(1, r.errLines().size(), r.err());
            String line = r.errLines().get(0);
            assertTrue(line.startsWith("stmlog diff: --fail-if '" + bad[0] + "': bad token " + bad[1] + ": "), line);
            assertTrue(line.endsWith("(see 'stmlog diff --help')"), line);
        }
    }

    @Test
    void baseAndNewAreTwoArgumentsOrBaseOptions() throws IOException {
        Cli.Result one = Cli.run("diff", planted.toString());
        assertEquals(2, one.status());
        assertTrue(one.err().contains("give BASE and NEW"), one.err());
        Cli.Result three = Cli.run("diff", planted.toString(), planted.toString(), changed.toString());
        assertEquals(2, three.status());

        // two logs on each side: their figures add up, so the change doubles
        Cli.Result r = Cli.run("diff", "--format", "json", "--base", planted.toString(), "--base", planted.toString(),
                changed.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> json = Json.object(r.out());
        assertEquals(List.of(planted.toString(), planted.toString()), path(json, "base", "files"));
        assertDecimal("0.038", path(json, "change", "lost_s"));

        // directories: each a set of logs
        Path before = Files.createDirectories(dir.resolve("before")), after = Files.createDirectories(dir.resolve("after"));
        Files.copy(planted, before.resolve("a.stmlog"));
        Files.copy(changed, after.resolve("a.stmlog"));
        Cli.Result dirs = Cli.run("diff", "--format", "json", before.toString(), after.toString());
        assertEquals(0, dirs.status(), dirs.err());
        assertDecimal("0.019", path(Json.object(dirs.out()), "change", "lost_s"));

        Cli.Result missing = Cli.run("diff", planted.toString(), dir.resolve("nope.stmlog").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nope.stmlog: no such file"), missing.err());
    }

    @Test
    void groupsLikeTopAndLimitsRows() {
        Cli.Result r = Cli.run("diff", "--by", "kind", "--limit", "1", "--format", "json", planted.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> json = Json.object(r.out());
        assertEquals("kind", json.get("group_by"));
        List<?> sites = (List<?>) json.get("sites");
        assertEquals(1, sites.size());
        assertEquals("WRITE_WRITE", ((Map<?, ?>) sites.get(0)).get("key"));
        assertDecimal("4", path(json, "rows", "total"));
        Cli.Result text = Cli.run("diff", "--limit", "2", planted.toString(), changed.toString());
        assertTrue(text.out().contains("(2 more rows; --limit shows more)"), text.out());
    }

    @Test
    void throughputFromMarksAsScaleMeasuresIt() throws IOException {
        Path slow = marked(dir.resolve("slow.stmlog"), 10);
        Path fast = marked(dir.resolve("fast.stmlog"), 20);
        Cli.Result r = Cli.run("diff", "--format", "json", "--fail-if", "throughput < -5%", slow.toString(), fast.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> json = Json.object(r.out());
        assertEquals("window", path(json, "base", "throughput", "from"));
        assertDecimal("5", path(json, "base", "throughput", "per_s"));
        assertDecimal("10", path(json, "new", "throughput", "per_s"));
        assertDecimal("2", path(json, "new", "throughput", "measured_s"));
        assertDecimal("100", path(json, "change", "throughput_pct"));
        Cli.Result back = Cli.run("diff", "--fail-if", "throughput < -5%", fast.toString(), slow.toString());
        assertEquals(1, back.status(), back.err());
        assertTrue(Pattern.compile("throughput/s +10 +5 +-5 +-50\\.0% +\\(from window\\)").matcher(back.out()).find(), back.out());
        assertEquals(List.of("stmlog diff: --fail-if 'throughput < -5%' holds: throughput/s 10 -> 5, -5 (-50.0%)"),
                back.errLines());
    }

    /** A window from 1 s to 3 s with {@code n} marks in it, and marks outside it that do not count. */
    static Path marked(Path file, int n) throws IOException {
        TestLog log = new TestLog().name(1, "main").mark(1, 500 * MS, "op", 1).mark(1, 1000 * MS, "window.start", 0);
        for (int i = 0; i < n; i++) log.start(1, 1000 * MS + i * 50 * MS).commit(1, 1010 * MS + i * 50 * MS)
                .mark(1, 1010 * MS + i * 50 * MS, "op", 1);
        return log.mark(1, 3000 * MS, "window.end", 0).mark(1, 3500 * MS, "op", 1).write(file);
    }

    @Test
    void csvHeaderIsStable() {
        Cli.Result r = Cli.run("diff", "--format", "csv", planted.toString(), changed.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("rank,status,kind,key,count_base,count_new,count_change,count_change_pct,lost_s_base,lost_s_new,"
                + "lost_change_s,lost_change_pct,paused_s_base,paused_s_new,paused_change_s,paused_change_pct,"
                + "total_s_base,total_s_new,total_change_s,total_change_pct,frames,other_frames", lines.get(0));
        assertEquals("1,changed,WRITE_WRITE,com.example.Bank.transfer(Bank.java:42),2,2,0,0,0.025,0.05,0.025,100,"
                + "0.001,0.001,0,0,0.026,0.051,0.025,96.154,com.example.Bank.transfer(Bank.java:42),"
                + "com.example.Bank.deposit(Bank.java:57)", lines.get(1));
        assertEquals(5, lines.size());
    }

    @Test
    void helpDocumentsTheSyntaxAndTheExpressions() {
        Cli.Result r = Cli.run("diff", "--help");
        assertEquals(0, r.status(), r.err());
        for (String s : List.of("--base", "--fail-if", "'lost > +10%'", "site-new", "'throughput < -5%'", "BASE", "NEW")) {
            assertTrue(r.out().contains(s), s + " in " + r.out());
        }
        assertFalse(r.out().contains("%%") || r.out().contains("%n"), "picocli formatted the help: " + r.out());
        Cli.Result root = Cli.run("--help");
        assertTrue(root.out().contains("diff"), root.out());
    }

    // ---------------------------------------------------------------- helpers

    static Object path(Object json, String... names) {
        Object o = json;
        for (String n : names) o = ((Map<?, ?>) o).get(n);
        return o;
    }

    static BigDecimal decimal(Object o) {
        return (BigDecimal) o;
    }

    static void assertDecimal(String expected, Object actual) {
        assertTrue(actual instanceof BigDecimal, "a number: " + actual);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual), "expected " + expected + ", was " + actual);
    }
}
