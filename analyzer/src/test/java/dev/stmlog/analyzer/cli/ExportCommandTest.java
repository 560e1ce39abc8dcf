package dev.stmlog.analyzer.cli;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.analyzer.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code stmlog export}: each format on the planted log (see {@link Planted} for its events). */
@Timeout(120)
class ExportCommandTest {
    private static final String A_ABORT = "abort: WRITE_WRITE at com.example.Bank.transfer(Bank.java:42)";
    private static final String B_ABORT = "abort: WRITE_READ at com.example.Bank.audit(Bank.java:99)";

    @TempDir
    Path dir;

    @Test
    void traceHasATrackPerThreadWithEveryAttemptWaitAndConflict() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Path trace = dir.resolve("planted.trace.json");
        Cli.Result r = Cli.run("export", "--to", "trace", "-o", trace.toString(), log.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        List<Map<?, ?>> events = events(trace);

        assertEquals(List.of("1 alpha", "2 beta"), events.stream().filter(e -> "thread_name".equals(e.get("name")))
                .map(e -> e.get("tid") + " " + ((Map<?, ?>) e.get("args")).get("name"))
                .filter(s -> !s.contains("thread ")).toList());
        // every attempt and wait, in each thread's order: name @ start ms + duration ms
        assertEquals(List.of(A_ABORT + " @1000+5", "wait: BACKOFF @1005+1", "commit @1006+10",
                A_ABORT + " @2000+20", "commit @2020+10"), slices(events, 1));
        assertEquals(List.of("wait: LOCK @1001+2", B_ABORT + " @1000+8", "commit @1010+10",
                "abort: EXCEPTION @3000+0.5"), slices(events, 2));
        Map<?, ?> abort = events.stream().filter(e -> B_ABORT.equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals(Map.of("cause", "CONFLICT", "kind", "WRITE_READ", "ref", "account#2",
                "victim", "com.example.Bank.audit(Bank.java:99)", "other side", "com.example.Bank.transfer(Bank.java:42)",
                "other thread", BigDecimal.ONE), abort.get("args"));
        assertEquals("terrible", abort.get("cname"));

        // an arrow per conflict whose other thread is known: from it to the victim, at the conflict
        List<String> arrows = new ArrayList<>();
        for (Map<?, ?> e : events) {
            if ("s".equals(e.get("ph"))) arrows.add(e.get("id") + ": " + e.get("tid") + " ->");
            if ("f".equals(e.get("ph"))) arrows.add(e.get("id") + ": -> " + e.get("tid") + " @" + ms(e.get("ts")));
        }
        assertEquals(List.of("1: 2 ->", "1: -> 1 @1004", "2: 2 ->", "2: -> 1 @2010", "3: 1 ->", "3: -> 2 @1007"), arrows);

        Map<?, ?> gc = events.stream().filter(e -> "GC pause".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("i", gc.get("ph"));
        assertEquals("1500", ms(gc.get("ts")));
    }

    @Test
    void everySliceLiesInsideItsThreadsRecordedTime() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Path trace = dir.resolve("t.json");
        assertEquals(0, Cli.run("export", "--to", "trace", "-o", trace.toString(), log.toString()).status());
        // each thread's first and last event in the planted log, in ns
        Map<Long, long[]> recorded = Map.of(1L, new long[] {1000 * MS, 2030 * MS}, 2L, new long[] {1000 * MS, 3000 * MS + 500_000});
        int slices = 0;
        for (Map<?, ?> e : events(trace)) {
            if (!"X".equals(e.get("ph"))) continue;
            long[] span = recorded.get(((BigDecimal) e.get("tid")).longValue());
            long start = nanos(e.get("ts"));
            long end = start + nanos(e.get("dur"));
            assertTrue(start >= span[0] && end <= span[1], e.toString());
            slices++;
        }
        assertEquals(9, slices);
    }

    @Test
    void windowAndThreadFiltersApplyAsInTop() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Path trace = dir.resolve("w.json");
        Cli.Result r = Cli.run("export", "--to", "trace", "--from", "1.5", "--until", "2.5", "--thread", "alpha",
                "-o", trace.toString(), log.toString());
        assertEquals(0, r.status(), r.err());
        List<Map<?, ?>> events = events(trace);
        assertEquals(List.of(A_ABORT + " @2000+20", "commit @2020+10"), slices(events, 1));
        assertEquals(List.of(), slices(events, 2));
    }

    @Test
    void anUnknownFormatIsAUsageErrorListingTheFormats() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Cli.Result r = Cli.run("export", "--to", "svg", log.toString());
        assertEquals(2, r.status());
        assertEquals("stmlog export: --to: 'svg' is not one of trace, collapsed, speedscope (see 'stmlog export --help')", r.errLines().get(0));
    }

    @Test
    void aDamagedLogExportsWhatCanBeReadWithTopsWarning() throws IOException {
        Path log = dev.stmlog.analyzer.LargeLogGeneratorAccess.generate(dir.resolve("big.stmlog"), 60_000);
        byte[] all = Files.readAllBytes(log);
        Path cut = Files.write(dir.resolve("cut.stmlog"), Arrays.copyOf(all, all.length * 6 / 10 + 7));
        Cli.Result top = Cli.run("top", cut.toString());
        Cli.Result export = Cli.run("export", "--to", "trace", "-o", dir.resolve("cut.json").toString(), cut.toString());
        assertEquals(0, export.status(), export.err());
        assertEquals(1, export.errLines().size(), export.err());
        String warning = top.errLines().get(0);
        assertTrue(warning.contains(": truncated at byte "), warning);
        assertEquals(warning.replace("(analysed anyway)", "(exported anyway)"), export.errLines().get(0));
        assertFalse(slicesOfAll(events(dir.resolve("cut.json"))).isEmpty());
    }

    @Test
    void aLogOfWhichNothingCanBeReadIsADataError() throws IOException {
        Path log = Planted.writeUnreadable(dir.resolve("bad.stmlog"));
        Cli.Result r = Cli.run("export", "--to", "trace", "-o", dir.resolve("bad.json").toString(), log.toString());
        assertEquals(1, r.status());
        assertEquals("stmlog: nothing could be read from " + log, r.errLines().get(r.errLines().size() - 1));
    }

    private static final String A_STACK = "WRITE_WRITE;com.example.Teller.serve(Teller.java:7);com.example.Bank.transfer(Bank.java:42)";
    private static final String B_STACK = "WRITE_READ;com.example.Bank.audit(Bank.java:99)";

    @Test
    void collapsedStacksAreTopsTimeByWholeStack() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Cli.Result r = Cli.run("export", "--to", "collapsed", log.toString());
        assertEquals(0, r.status(), r.err());
        // root the kind, then the victim's frames outermost first; lost + paused in ns
        assertEquals(List.of(A_STACK + " 26000000", B_STACK + " 6000000", "WAIT_LOCK;(unknown) 2000000",
                "ABORT_EXCEPTION;(unknown) 500000"), sortedByValue(r.out()));
        assertEquals(topTotalNanos(log), sum(r.out()));
    }

    @Test
    void collapsedStacksCanNameTheOtherSideAboveTheVictimsLine() throws IOException {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Cli.Result r = Cli.run("export", "--to", "collapsed", "--other-side", log.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(A_STACK + ";other side: com.example.Bank.deposit(Bank.java:57) 26000000",
                B_STACK + ";other side: com.example.Bank.transfer(Bank.java:42) 6000000",
                "WAIT_LOCK;(unknown);other side: (unknown) 2000000",
                "ABORT_EXCEPTION;(unknown);other side: (unknown) 500000"), sortedByValue(r.out()));
    }

    @Test
    void speedscopeFileMatchesItsSchemaWithAProfilePerThread() throws Exception {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        Path out = dir.resolve("planted.speedscope.json");
        Cli.Result r = Cli.run("export", "--to", "speedscope", "-o", out.toString(), log.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", Speedscope.schemaErrors(out));
        Map<String, Object> file = Json.object(Files.readString(out));
        List<?> profiles = (List<?>) file.get("profiles");
        assertEquals(List.of("all threads", "thread 1 alpha", "thread 2 beta"),
                profiles.stream().map(p -> ((Map<?, ?>) p).get("name")).toList());
        List<Long> totals = profiles.stream().map(p -> ((List<?>) ((Map<?, ?>) p).get("weights")).stream()
                .mapToLong(w -> ((BigDecimal) w).longValueExact()).sum()).toList();
        assertEquals(List.of(topTotalNanos(log), 26_000_000L, 8_500_000L), totals);
    }

    @Test
    void speedscopeShowsThePlantedFramesOfEveryExport() throws Exception {
        Path log = Planted.write(dir.resolve("planted.stmlog"));
        for (String format : List.of("trace", "collapsed", "speedscope")) {
            Path out = dir.resolve("planted." + format);
            Cli.Result r = Cli.run("export", "--to", format, "-o", out.toString(), log.toString());
            assertEquals(0, r.status(), r.err());
            String dom = Speedscope.sandwich(out, dir);
            // a trace opens on its first thread's track (alpha's); the others show all threads
            List<String> planted = format.equals("trace") ? List.of(A_ABORT, "wait: BACKOFF", "commit")
                    : List.of("com.example.Bank.transfer", "com.example.Teller.serve", "com.example.Bank.audit", "WAIT_LOCK");
            for (String frame : planted) assertTrue(dom.contains(frame), format + ": speedscope does not show " + frame);
        }
    }

    /** The lost + paused time of all of top's rows. */
    private static long topTotalNanos(Path log) {
        Cli.Result top = Cli.run("top", "--format", "json", "--limit", "1000", log.toString());
        assertEquals(0, top.status(), top.err());
        long total = 0;
        for (Object site : (List<?>) Json.object(top.out()).get("sites")) {
            Map<?, ?> s = (Map<?, ?>) site;
            total += seconds(s.get("lost_s")) + seconds(s.get("paused_s"));
        }
        return total;
    }

    private static long seconds(Object s) {
        return ((BigDecimal) s).movePointRight(9).longValueExact();
    }

    private static List<String> sortedByValue(String collapsed) {
        return collapsed.lines().sorted((a, b) -> Long.compare(value(b), value(a))).toList();
    }

    private static long value(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static long sum(String collapsed) {
        return collapsed.lines().mapToLong(ExportCommandTest::value).sum();
    }

    static List<Map<?, ?>> events(Path trace) throws IOException {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object e : (List<?>) Json.object(Files.readString(trace)).get("traceEvents")) out.add((Map<?, ?>) e);
        return out;
    }

    /** The slices of thread {@code tid} in the order written: {@code name @startMs+durationMs}. */
    private static List<String> slices(List<Map<?, ?>> events, long tid) {
        List<String> out = new ArrayList<>();
        for (Map<?, ?> e : events) {
            if ("X".equals(e.get("ph")) && ((BigDecimal) e.get("tid")).longValue() == tid) {
                out.add(e.get("name") + " @" + ms(e.get("ts")) + "+" + ms(e.get("dur")));
            }
        }
        return out;
    }

    private static List<Map<?, ?>> slicesOfAll(List<Map<?, ?>> events) {
        return events.stream().filter(e -> "X".equals(e.get("ph"))).toList();
    }

    /** A trace time (µs) in ms, without trailing zeros. */
    private static String ms(Object micros) {
        return ((BigDecimal) micros).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private static long nanos(Object micros) {
        return ((BigDecimal) micros).movePointRight(3).longValueExact();
    }
}
