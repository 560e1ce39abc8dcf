package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopCommandTest {
    @TempDir
    static Path dir;
    static Path log;

    @BeforeAll
    static void plant() throws IOException {
        log = Planted.write(dir.resolve("planted.stmlog"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sites(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("sites");
    }

    static Map<String, Object> top(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        return Json.object(r.out());
    }

    static BigDecimal dec(Object o) {
        return (BigDecimal) o;
    }

    static void assertSeconds(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(dec(actual)), "expected " + expected + " s, was " + actual);
    }

    @Test
    void ranksAndChargesPlantedConflicts() {
        Map<String, Object> json = top("top", "--format", "json", log.toString());
        assertEquals("stmlog-1", json.get("format"));
        List<Map<String, Object>> sites = sites(json);
        Map<String, Object> first = sites.get(0);
        assertEquals(BigDecimal.ONE, first.get("rank"));
        assertEquals("WRITE_WRITE", first.get("kind"));
        assertEquals(List.of("com.example.Bank.transfer(Bank.java:42)"), first.get("frames"));
        assertEquals(List.of("com.example.Bank.deposit(Bank.java:57)"), first.get("other_frames"));
        assertEquals(new BigDecimal(2), first.get("count"));
        assertSeconds("0.025", first.get("lost_s"));
        assertSeconds("0.001", first.get("paused_s"));

        Map<String, Object> second = sites.get(1);
        assertEquals("WRITE_READ", second.get("kind"));
        assertEquals(List.of("com.example.Bank.audit(Bank.java:99)"), second.get("frames"));
        assertSeconds("0.006", second.get("lost_s"));
        assertSeconds("0", second.get("paused_s"));
        assertEquals(BigDecimal.ONE, second.get("count"));

        Map<String, Object> third = sites.get(2);
        assertEquals("ABORT_EXCEPTION", third.get("kind"));
        assertEquals(List.of(), third.get("frames"));
        assertSeconds("0.0005", third.get("lost_s"));

        Map<String, Object> fourth = sites.get(3);
        assertEquals("WAIT_LOCK", fourth.get("kind"));
        assertSeconds("0", fourth.get("lost_s"));
        assertSeconds("0.002", fourth.get("paused_s"));
        assertEquals(4, sites.size());
        assertEquals(new BigDecimal(60), new BigDecimal(((List<?>) first.get("timeline")).size()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void timeAccountingAddsUp() {
        Map<String, Object> json = top("top", "--format", "json", log.toString());
        Map<String, Object> cpu = (Map<String, Object>) json.get("cpu_s");
        assertSeconds("0.030", cpu.get("committed"));
        assertSeconds("0.0315", cpu.get("aborted"));
        assertSeconds("0.003", cpu.get("paused"));
        assertSeconds("0.002", cpu.get("gc"));
        assertSeconds("0.0645", cpu.get("total"));
        assertSeconds("3.0005", json.get("wall_s"));
        Map<String, Object> tx = (Map<String, Object>) json.get("transactions");
        assertEquals(new BigDecimal(3), tx.get("committed"));
        assertEquals(new BigDecimal(4), tx.get("aborted"));
        // every aborted and paused nanosecond is charged to exactly one row
        BigDecimal lost = BigDecimal.ZERO, paused = BigDecimal.ZERO;
        for (Map<String, Object> s : sites(json)) {
            lost = lost.add(dec(s.get("lost_s")));
            paused = paused.add(dec(s.get("paused_s")));
        }
        assertSeconds(cpu.get("aborted").toString(), lost);
        assertSeconds(cpu.get("paused").toString(), paused);
        // per thread: alpha committed 20 ms, aborted 25 ms, paused 1 ms
        List<Map<String, Object>> threads = (List<Map<String, Object>>) json.get("per_thread");
        assertEquals("alpha", threads.get(0).get("name"));
        assertSeconds("0.020", threads.get(0).get("committed_s"));
        assertSeconds("0.025", threads.get(0).get("aborted_s"));
        assertSeconds("0.001", threads.get(0).get("paused_s"));
        assertEquals("beta", threads.get(1).get("name"));
        assertSeconds("0.0065", threads.get(1).get("aborted_s"));
    }

    @Test
    void sortByPausedAndCount() {
        List<Map<String, Object>> paused = sites(top("top", "--format", "json", "--sort", "paused", log.toString()));
        assertEquals("WAIT_LOCK", paused.get(0).get("kind"));
        assertEquals("WRITE_WRITE", paused.get(1).get("kind"));
        List<Map<String, Object>> count = sites(top("top", "--format", "json", "--sort", "count", log.toString()));
        assertEquals(new BigDecimal(2), count.get(0).get("count"));
        List<Map<String, Object>> total = sites(top("top", "--format", "json", "--sort", "total", "--limit", "2", log.toString()));
        assertEquals(2, total.size());
        assertSeconds("0.026", dec(total.get(0).get("total_s")));
    }

    @Test
    void groupings() {
        List<Map<String, Object>> kinds = sites(top("top", "--format", "json", "--by", "kind", log.toString()));
        assertEquals("WRITE_WRITE", kinds.get(0).get("key"));
        assertSeconds("0.025", kinds.get(0).get("lost_s"));

        List<Map<String, Object>> pairs = sites(top("top", "--format", "json", "--by", "pair", log.toString()));
        assertEquals("com.example.Bank.transfer(Bank.java:42) <> com.example.Bank.deposit(Bank.java:57)", pairs.get(0).get("key"));
        assertEquals(List.of("com.example.Bank.deposit(Bank.java:57)"), pairs.get(0).get("other_frames"));

        List<Map<String, Object>> threads = sites(top("top", "--format", "json", "--by", "thread", log.toString()));
        assertEquals("1 alpha", threads.get(0).get("key"));
        assertEquals("WRITE_WRITE", threads.get(0).get("kind"));
        assertEquals("2 beta", threads.get(1).get("key"));

        List<Map<String, Object>> refs = sites(top("top", "--format", "json", "--by", "ref", log.toString()));
        assertEquals("account#1", refs.get(0).get("key"));
        assertEquals("account#2", refs.get(1).get("key"));

        List<Map<String, Object>> deep = sites(top("top", "--format", "json", "--depth", "2", log.toString()));
        assertEquals(List.of("com.example.Bank.transfer(Bank.java:42)", "com.example.Teller.serve(Teller.java:7)"),
                deep.get(0).get("frames"));
    }

    @Test
    void windowAndThreadFilters() {
        List<Map<String, Object>> window = sites(top("top", "--format", "json", "--from", "1.5", "--to", "2.5", log.toString()));
        assertEquals(1, window.size());
        assertSeconds("0.020", window.get(0).get("lost_s"));
        assertEquals(BigDecimal.ONE, window.get(0).get("count"));
        // the time line spans the window: the contention at 2.010 s is at column (0.51 / 1.0) * 60 = 30
        List<?> line = (List<?>) window.get(0).get("timeline");
        assertEquals(BigDecimal.ONE, line.get(30));

        for (String t : List.of("2", "beta")) {
            List<Map<String, Object>> beta = sites(top("top", "--format", "json", "--thread", t, log.toString()));
            assertEquals("WRITE_READ", beta.get(0).get("kind"));
            assertTrue(beta.stream().noneMatch(s -> s.get("kind").equals("WRITE_WRITE")));
        }
        List<Map<String, Object>> ms = sites(top("top", "--format", "json", "--from", "1900ms", log.toString()));
        assertEquals("WRITE_WRITE", ms.get(0).get("kind"));
    }

    @Test
    void textShowsHeaderFramesAndTimeLine() {
        Cli.Result r = Cli.run("top", log.toString());
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("Wall time:         3.0 s"), out);
        assertTrue(out.contains("25.0 ms lost in aborts, 1.0 ms paused (2x WRITE_WRITE)"), out);
        assertTrue(out.contains("at com.example.Bank.transfer(Bank.java:42)"), out);
        assertTrue(out.contains("other side: com.example.Bank.deposit(Bank.java:57)"), out);
        assertTrue(out.contains("time line: |"), out);
        assertTrue(out.contains("alpha"), out);
        assertTrue(out.contains("3 committed, 4 aborted"), out);
        assertFalse(out.contains("\u001b["), "no colour without a terminal");

        String exact = Cli.run("top", "--exact", log.toString()).out();
        assertTrue(exact.contains("0.025 s lost in aborts, 0.001 s paused"), exact);
    }

    @Test
    void sourcePathShowsTheLinesOfBothSides() throws IOException {
        Path src = Planted.sources(dir.resolve("src"));
        Map<String, Object> json = top("top", "--format", "json", "--source-path", src.toString(), log.toString());
        Map<String, Object> first = sites(json).get(0), second = sites(json).get(1), third = sites(json).get(2);
        assertEquals(Planted.A_LINE, first.get("source_line"));
        assertEquals(Planted.D_LINE, first.get("other_source_line"));
        // B's other side is A: the first site's victim line, looked up for the other side
        assertEquals("// line 99", second.get("source_line"));
        assertEquals(Planted.A_LINE, second.get("other_source_line"));
        // ABORT_EXCEPTION has neither side: both members present, both null
        assertTrue(third.containsKey("source_line") && third.containsKey("other_source_line"), third.toString());
        assertNull(third.get("source_line"));
        assertNull(third.get("other_source_line"));
        Map<String, Object> pair = sites(top("top", "--format", "json", "--by", "pair", "--source-path", src.toString(),
                log.toString())).get(0);
        assertEquals(Planted.D_LINE, pair.get("other_source_line"));
        assertNull(sites(top("top", "--format", "json", log.toString())).get(0).get("other_source_line"),
                "no --source-path, no line");

        String text = Cli.run("top", "--source-path", src.toString(), log.toString()).out();
        assertTrue(text.contains("     at com.example.Bank.transfer(Bank.java:42)\n          > " + Planted.A_LINE + "\n"
                + "     other side: com.example.Bank.deposit(Bank.java:57)\n          > " + Planted.D_LINE + "\n"), text);
        assertTrue(text.contains("     other side: com.example.Bank.transfer(Bank.java:42)\n          > " + Planted.A_LINE + "\n"),
                text);

        String csv = Cli.run("top", "--format", "csv", "--source-path", src.toString(), log.toString()).out();
        CSVRecord row = CSVFormat.RFC4180.builder().setHeader().build().parse(new StringReader(csv)).getRecords().get(0);
        assertEquals(Planted.A_LINE, row.get("source_line"));
        assertEquals(Planted.D_LINE, row.get("other_source_line"));
    }

    @Test
    void csvHeaderIsStable() {
        Cli.Result r = Cli.run("top", "--format", "csv", log.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("rank,kind,key,count,lost_s,paused_s,total_s,frames,other_frames,other_variants,source_line,timeline,"
                + "other_source_line,hint", lines.get(0));
        assertTrue(lines.get(1).startsWith("1,WRITE_WRITE,com.example.Bank.transfer(Bank.java:42),2,0.025,0.001,0.026,"),
                lines.get(1));
        assertEquals(5, lines.size());
    }

    @Test
    void severalLogsKeepThreadsApartAndMergeSites() throws IOException {
        Path logs = dir.resolve("two");
        Files.createDirectories(logs);
        Planted.write(logs.resolve("a.stmlog"));
        Planted.write(logs.resolve("b.stmlog"));
        Files.writeString(logs.resolve("notes.txt"), "not a log");
        Map<String, Object> json = top("top", "--format", "json", logs.toString());
        assertEquals(2, ((List<?>) json.get("files")).size());
        assertEquals(new BigDecimal(4), json.get("threads"));
        Map<String, Object> first = sites(json).get(0);
        assertEquals(new BigDecimal(4), first.get("count"));
        assertSeconds("0.050", first.get("lost_s"));
        List<Map<String, Object>> only = sites(top("top", "--format", "json", "--thread", "2:1", logs.toString()));
        assertSeconds("0.025", only.get(0).get("lost_s"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonWhenNothingCouldBeRead() throws IOException {
        Path garbage = Planted.writeUnreadable(dir.resolve("unreadable.stmlog"));

        Cli.Result r = Cli.run("top", "--format", "json", garbage.toString());
        assertEquals(1, r.status(), r.err());
        Map<String, Object> j = Json.object(r.out());
        assertEquals(BigDecimal.ZERO, j.get("events"));
        assertEquals(List.of(), j.get("sites"));
        Map<String, Object> damage = (Map<String, Object>) j.get("damage");
        assertEquals(0, new BigDecimal(4096).compareTo((BigDecimal) damage.get("bytes_skipped")), damage::toString);
        List<String> err = r.errLines();
        assertEquals("stmlog: nothing could be read from " + garbage, err.get(err.size() - 1), r.err());

        Cli.Result text = Cli.run("top", garbage.toString());
        assertEquals(1, text.status());
        assertEquals("", text.out(), "text has no sites to show");
    }
}
