package dev.stmlog.analyzer.cli;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ScaleCommandTest {
    @TempDir
    static Path dir;
    static Path one, two, four, serial;

    @BeforeAll
    static void write() throws IOException {
        // 100, 180, 324 operations per second; the serial baseline 120
        one = FakeSample.write(dir.resolve("one.stmlog"), 1, "stm", true, FakeSample.operations(1, "stm"));
        two = FakeSample.write(dir.resolve("two.stmlog"), 2, "stm", true, FakeSample.operations(2, "stm"));
        four = FakeSample.write(dir.resolve("four.stmlog"), 4, "stm", true, FakeSample.operations(4, "stm"));
        serial = FakeSample.write(dir.resolve("serial.stmlog"), 1, "serial", true, FakeSample.operations(1, "serial"));
    }

    @Test
    void tableFromLogs() throws Exception {
        Path out = dir.resolve("scale");
        Cli.Result r = Cli.run("scale", "--exact", "-o", out.toString(), four.toString(), serial.toString(), one.toString(),
                two.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("mode"), lines.get(0));
        assertTrue(lines.get(1).matches("stm\\s+1\\s+100\\.000\\s+window\\s+1\\.00x\\s+0\\.83x\\s+.*one\\.stmlog"), lines.get(1));
        assertTrue(lines.get(2).matches("stm\\s+2\\s+180\\.000\\s+window\\s+1\\.80x\\s+1\\.50x\\s+.*"), lines.get(2));
        assertTrue(lines.get(3).matches("stm\\s+4\\s+324\\.000\\s+window\\s+3\\.24x\\s+2\\.70x\\s+.*"), lines.get(3));
        assertTrue(lines.get(4).matches("serial\\s+1\\s+120\\.000\\s+window\\s+1\\.20x\\s+1\\.00x\\s+.*"), lines.get(4));

        List<String> csv = Files.readAllLines(out.resolve("scale.csv"));
        assertEquals("mode,threads,baseline,throughput_per_s,throughput_from,operations,measured_s,speedup_vs_1_thread,"
                + "speedup_vs_serial,wall_s,marks,committed,aborted,committed_s,aborted_s,paused_s,file", csv.get(0));
        assertTrue(csv.get(3).startsWith("stm,4,false,324,window,324,1,3.24,2.7,1,324,324,0,0.324,0,0,"), csv.get(3));
        assertTrue(csv.get(4).startsWith("serial,1,true,120,window,120,1,1.2,1,1,120,0,0,0,0,0,"), csv.get(4));

        ReportTesting.assertChart(out.resolve("throughput.png"), 1000, 480);
        ReportTesting.assertChart(out.resolve("time-per-thread-count.png"), 1000, 480);
        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        assertTrue(page.dom().contains("data-test-runs-rows=\"4\""), page.dom());
        assertTrue(page.dom().contains("data-test-runs-sorted=\"ok\""), page.dom());
    }

    @Test
    void committedTransactionsWithoutMarksAndLabels() throws Exception {
        Path bare = FakeSample.write(dir.resolve("bare.stmlog"), 2, "stm", false, 50);
        Cli.Result r = Cli.run("scale", bare.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("--label"), r.err());
        r = Cli.run("scale", "--format", "csv", "--label", "tl2:3", bare.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().toList().get(1).startsWith("tl2,3,false,50,window,"), r.out());
        r = Cli.run("scale", "--label", "3", one.toString(), two.toString());
        assertEquals(2, r.status());
    }

    @Test
    void throughputIsCountedInTheWindowTheProgramDeclares() throws Exception {
        // 1 s of warm-up, 399 transactions 2.5 ms apart, marked (the samples do not mark theirs;
        // a program might), then the declared window: from 1 s to 2 s, 100 transactions 10 ms
        // apart, marked; the last one at the window's end, which includes it.
        Path log = write(dir.resolve("warm.stmlog"), (main, w) -> {
            for (int i = 1; i < 400; i++) operation(w, i * 2_500_000L);
            main.write(new UserMark(SECOND, 1, "window.start", 0));
            for (int i = 1; i <= 100; i++) operation(w, SECOND + i * 10_000_000L);
            main.write(new UserMark(2 * SECOND, 1, "window.end", 0));
        });
        Cli.Result r = Cli.run("scale", "--format", "csv", "--label", "1", log.toString());
        assertEquals(0, r.status(), r.err());
        // 100 per second, from the window; the time in transactions is the window's: 100 x 1 ms
        assertTrue(r.out().lines().toList().get(1).startsWith("stm,1,false,100,window,100,1,1,,2,100,100,0,0.1,0,0,"),
                r.out());
    }

    @Test
    void withoutAWindowTheMarksOwnSpanThenCommitsOverWallTime() throws Exception {
        // An older log: 1 s of unmarked warm-up (399 transactions), then 101 marked operations
        // 10 ms apart from 1 s to 2 s: 100 completions after the first one, in 1 s.
        Path marks = write(dir.resolve("old.stmlog"), (main, w) -> {
            for (int i = 1; i < 400; i++) transaction(w, i * 2_500_000L);
            for (int i = 0; i <= 100; i++) operation(w, SECOND + i * 10_000_000L);
        });
        // No marks: 400 transactions in 2 s of wall time.
        Path commits = write(dir.resolve("commits.stmlog"), (main, w) -> {
            for (int i = 1; i <= 400; i++) transaction(w, i * 5_000_000L);
        });
        Cli.Result r = Cli.run("scale", "--format", "csv", "--label", "1", "--label", "2", marks.toString(), commits.toString());
        assertEquals(0, r.status(), r.err());
        List<String> rows = r.out().lines().toList();
        assertTrue(rows.get(1).startsWith("stm,1,false,100,marks,100,1,1,,2,101,101,0,0.101,0,0,"), r.out());
        assertTrue(rows.get(2).startsWith("stm,2,false,200,commits,400,2,2,,2,0,400,0,0.4,0,0,"), r.out());
    }

    private static final long SECOND = 1_000_000_000L;

    /** Writes a log of one run with {@code body}, given the main thread's writer and a worker's. */
    private static Path write(Path file, LogBody body) throws IOException {
        Metadata meta = new Metadata(1, "test", "test", 2, 0, 1_700_000_000_000_000_000L, 0, Map.of("mode", "stm"));
        LogWriter log = LogWriter.open(file, meta, WriterOptions.defaults().withCloseOnShutdown(false).withWarnings(w -> { }));
        body.write(log.forThread(1), log.forThread(10));
        log.close();
        return file;
    }

    private interface LogBody {
        void write(ThreadWriter main, ThreadWriter worker) throws IOException;
    }

    /** A transaction of 1 ms that commits at {@code end}. */
    private static void transaction(ThreadWriter w, long end) {
        w.write(new TxStart(end - 1_000_000, 10));
        w.write(new TxCommit(end, 10));
    }

    /** A transaction of 1 ms that commits at {@code end}, then the mark of a completed operation. */
    private static void operation(ThreadWriter w, long end) {
        transaction(w, end);
        w.write(new UserMark(end, 10, "op", 1));
    }

    @Test
    void runsTheCommandPerThreadCount() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path out = dir.resolve("runs");
        Cli.Result r = Cli.run("scale", "--threads", "1,2", "--baseline",
                "'" + java + "' -cp '" + cp + "' " + FakeSample.class.getName() + " 1 serial",
                "-o", out.toString(), "--", java, "-cp", cp, FakeSample.class.getName(), "{threads}", "stm");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("threads-1.stmlog")));
        assertTrue(Files.isRegularFile(out.resolve("threads-2.stmlog")));
        assertTrue(Files.isRegularFile(out.resolve("baseline.stmlog")));
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(2).matches("stm\\s+2\\s+180\\s+window\\s+1\\.80x\\s+1\\.50x\\s+.*"), lines.get(2));
        assertTrue(lines.get(3).matches("serial\\s+1\\s+120\\s+window\\s+1\\.20x\\s+1\\.00x\\s+.*"), lines.get(3));

        Cli.Result failed = Cli.run("scale", "--threads", "1", "-o", out.toString(), "--", java, "-cp", cp,
                FakeSample.class.getName());
        assertEquals(1, failed.status());
        assertTrue(failed.err().contains("exited with status"), failed.err());
    }

    @Test
    void aRunThatTakesTooLongIsStoppedAndNamed() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("slow");
        Cli.Result r = Cli.run("scale", "--threads", "1", "--timeout", "300ms", "-o", out.toString(), "--",
                java, "-cp", System.getProperty("java.class.path"), SleepFor.class.getName(), "60000");
        assertEquals(1, r.status(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err()); // "running ...", then the error
        assertTrue(lines.get(1).startsWith("stmlog: " + java + " -cp "), lines.get(1));
        assertTrue(lines.get(1).endsWith(SleepFor.class.getName() + " 60000: still running after 300ms; stopped"
                + " (--timeout; output in " + out.resolve("threads-1.out") + ")"), lines.get(1));
        assertEquals(2, Cli.run("scale", "--threads", "1", "--timeout", "0", "--", java).status());
    }

    /** A program that only sleeps, for as many milliseconds as it is told. */
    public static final class SleepFor {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.parseLong(args[0]));
        }
    }

    @Test
    void hostileMetadataIsText() throws Exception {
        String mode = "<script>" + ReportCommandTest.PWN + "5')</script>\"'</textarea>";
        Path evil = FakeSample.write(dir.resolve("evil'<b>.stmlog"), 2, mode, true, 40);
        Path out = dir.resolve("evil-scale");
        Cli.Result r = Cli.run("scale", "-o", out.toString(), one.toString(), evil.toString());
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertEquals(1, ReportTesting.count(html, "<script"), "only the page's own script");
        assertTrue(html.contains("&lt;script&gt;"));
        Chromium.Page page = Chromium.open(out.resolve("index.html"), "selftest", dir);
        assertEquals(List.of(), page.consoleErrors(), page.log());
        assertTrue(page.dom().contains("data-test-done=\"yes\""));
        assertTrue(!page.dom().matches("(?s).*<html[^>]*data-pwned.*"), "an injected script ran");
        assertEquals(1, ReportTesting.count(page.dom(), "<script"));
    }
}
