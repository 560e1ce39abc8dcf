package dev.stmlog.samples.diagnosis;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.analyzer.SortKey;
import dev.stmlog.analyzer.cli.Environment;
import dev.stmlog.analyzer.cli.Stmlog;
import dev.stmlog.analyzer.jfr.JfrLogReader;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.TopView;
import dev.stmlog.samples.ChildProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's JFR events, recorded by a child JVM started with {@code -XX:StartFlightRecording}
 * running {@link ForcedConflicts} (write-read conflicts forced with latches, on known lines), read
 * by the JDK's own {@code jfr} tool and by the analyzer ({@link JfrLogReader}); with and without
 * {@code STM_LOG} in the same run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JfrRecordingTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/stmlog/samples/diagnosis/ForcedConflicts.java");
    private static final String FILE = "ForcedConflicts.java";
    private static final int ROUNDS = 12;
    private static int readLine, writeLine, inevitableLine, waitsLine, cacheReadLine, fillLine;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPlantedLines() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// planted: read")) readLine = i + 1;
            if (lines.get(i).endsWith("// planted: write")) writeLine = i + 1;
            if (lines.get(i).endsWith("// planted: inevitable")) inevitableLine = i + 1;
            if (lines.get(i).endsWith("// planted: waits")) waitsLine = i + 1;
            if (lines.get(i).endsWith("// planted: cache read")) cacheReadLine = i + 1;
            if (lines.get(i).endsWith("// planted: fill")) fillLine = i + 1;
        }
        assertTrue(readLine > 0 && writeLine > readLine && inevitableLine > 0 && waitsLine > 0 && cacheReadLine > 0 && fillLine > 0);
    }

    /** Runs the planted conflicts under a Flight Recording to {@code jfr}, and STM_LOG to {@code log} unless null. */
    private void record(Path jfr, Path log) throws Exception {
        record(jfr, log, "twoline", "2", Integer.toString(ROUNDS));
    }

    private void record(Path jfr, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool("java"), "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                "-XX:StartFlightRecording:dumponexit=true,filename=" + jfr, ForcedConflicts.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("STM_LOG");
        if (log != null) pb.environment().put("STM_LOG", log.toString());
        ChildProcess.Result child = ChildProcess.run(pb, 60);
        assertEquals(0, child.exit(), child.out() + child.err());
        assertTrue(Files.size(jfr) > 0, child.err());
    }

    /** A tool of the JDK that runs these tests ({@code java}, {@code jfr}). */
    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private ChildProcess.Result jfrTool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool("jfr")));
        cmd.addAll(List.of(args));
        ChildProcess.Result r = ChildProcess.run(new ProcessBuilder(cmd), 60);
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    private static boolean at(List<String> frames, int line) {
        return !frames.isEmpty() && frames.get(0).endsWith("(" + FILE + ":" + line + ")");
    }

    private static String describe(TopView top) {
        StringBuilder b = new StringBuilder();
        for (SiteRow r : top.sites()) {
            b.append("\n  #").append(r.rank()).append(' ').append(r.kind()).append(' ').append(r.count()).append("x ")
                    .append(r.key()).append(" <> ").append(r.otherFrames().isEmpty() ? "-" : r.otherFrames().get(0));
        }
        return b.toString();
    }

    private static void assertRankOneIsThePlantedPair(TopView top) {
        String sites = describe(top);
        SiteRow first = top.sites().get(0);
        assertEquals("WRITE_READ", first.kind().label(), sites);
        assertTrue(at(first.frames(), readLine), "the victim's read, line " + readLine + ":" + sites);
        assertTrue(at(first.otherFrames(), writeLine), "the other side's write, line " + writeLine + ":" + sites);
        assertEquals(ROUNDS, first.count(), "one site for every forced conflict:" + sites);
        assertTrue(first.lostNanos() > 0, sites);
    }

    /**
     * JFR alone: {@code jfr summary} counts one dev.stmlog.Conflict per forced conflict (and no
     * dev.stmlog.Transaction, off by default), and
     * {@code jfr print --json --events dev.stmlog.Conflict} shows the victim's read line in every
     * one and the other side's write line; the analyzer ranks the planted pair first.
     */
    @Test
    void jfrAloneNamesTheReadAndTheWrite() throws Exception {
        Path jfr = dir.resolve("forced.jfr");
        record(jfr, null);
        assertTrue(JfrLogReader.accepts(jfr));

        String summary = jfrTool("summary", jfr.toString()).out();
        Matcher count = Pattern.compile("(?m)^\\s*dev\\.stmlog\\.Conflict\\s+(\\d+)\\s").matcher(summary);
        assertTrue(count.find(), summary);
        assertEquals(ROUNDS, Integer.parseInt(count.group(1)), summary);
        Matcher transactions = Pattern.compile("(?m)^\\s*dev\\.stmlog\\.Transaction\\s+(\\d+)\\s").matcher(summary);
        assertTrue(transactions.find(), summary);
        assertEquals(0, Integer.parseInt(transactions.group(1)), "off unless a recording enables it: " + summary);

        String json = jfrTool("print", "--json", "--events", "dev.stmlog.Conflict", jfr.toString()).out();
        String read = "ForcedConflicts.lambda$bump$0(" + FILE + ":" + readLine + ")";
        String write = "ForcedConflicts.lambda$bump$0(" + FILE + ":" + writeLine + ")";
        assertEquals(ROUNDS, occurrences(json, "\"type\": \"dev.stmlog.Conflict\""), json);
        assertEquals(ROUNDS, occurrences(json, "\"victimFrames\": \"dev.stmlog.samples.diagnosis." + read), json);
        assertTrue(json.contains("\"otherFrames\": \"dev.stmlog.samples.diagnosis." + write), json);
        assertTrue(json.contains("\"kind\": \"WRITE_READ\"") && json.contains("\"refLabel\": \"planted\""), json);

        assertRankOneIsThePlantedPair(Analyzer.analyze(List.of(jfr), AnalysisOptions.defaults(), Progress.NONE).top(SortKey.TOTAL, 100, null));
    }

    /**
     * JFR alone, a cache re-filled with an equal string while another thread reads it (as in
     * {@code ForcedConflictsTest}): from the second round on, each dev.stmlog.Conflict says, as
     * {@code jfr print} shows it, that the other side's commit left the value unchanged, and
     * {@code top} on the recording gives the same hint as on a log: write only when it changes.
     */
    @Test
    void jfrAloneSaysTheOtherSideWroteTheSameValue() throws Exception {
        int rounds = 8;
        Path jfr = dir.resolve("refill.jfr");
        record(jfr, null, "refill", Integer.toString(rounds), "same");
        String json = jfrTool("print", "--json", "--events", "dev.stmlog.Conflict", jfr.toString()).out();
        assertEquals(rounds, occurrences(json, "\"type\": \"dev.stmlog.Conflict\""), json);
        assertEquals(rounds - 1, occurrences(json, "\"otherChange\": \"UNCHANGED\""), json);
        assertEquals(1, occurrences(json, "\"otherChange\": \"NOT_KNOWN\""), "the first conflict makes the Ref contended: " + json);

        TopView top = Analyzer.analyze(List.of(jfr), AnalysisOptions.defaults(), Progress.NONE).top(SortKey.TOTAL, 100, null);
        SiteRow row = top.sites().get(0);
        assertTrue(at(row.frames(), cacheReadLine), "the reader's line, " + cacheReadLine + ":" + describe(top));
        assertEquals(rounds, row.count(), describe(top));
        assertEquals(dev.stmlog.reports.Hint.Kind.WRITE_IF_CHANGED, row.hint() == null ? null : row.hint().kind(), describe(top));
        assertTrue(row.hint().text().startsWith(FILE + ":" + fillLine + " wrote `forced.cache` with the value it already"
                + " held (" + (rounds - 1) + " of " + (rounds - 1) + " commits seen"), row.hint().text());
    }

    /**
     * STM_LOG and JFR in one run: both have every conflict, and {@code top} ranks the same site
     * first in both, with the same count.
     */
    @Test
    void stmLogAndJfrTogetherHaveTheSameTopSite() throws Exception {
        Path jfr = dir.resolve("both.jfr");
        Path log = dir.resolve("both.stmlog");
        record(jfr, log);
        TopView fromLog = Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), Progress.NONE).top(SortKey.TOTAL, 100, null);
        TopView fromJfr = Analyzer.analyze(List.of(jfr), AnalysisOptions.defaults(), Progress.NONE).top(SortKey.TOTAL, 100, null);
        assertRankOneIsThePlantedPair(fromLog);
        assertRankOneIsThePlantedPair(fromJfr);
        SiteRow a = fromLog.sites().get(0);
        SiteRow b = fromJfr.sites().get(0);
        assertEquals(a.key(), b.key(), describe(fromLog) + "\nvs" + describe(fromJfr));
        assertEquals(a.frames(), b.frames());
        assertEquals(a.otherFrames().get(0), b.otherFrames().get(0));
        assertEquals(a.count(), b.count());
        assertFalse(b.key().startsWith("(no stack"));
        Map<String, Long> conflicts = Map.of("log", a.count(), "jfr", b.count());
        assertEquals(Map.of("log", (long) ROUNDS, "jfr", (long) ROUNDS), conflicts);

        // the command line reads the recording as a third kind of log
        for (Path file : List.of(log, jfr)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Stmlog.run(Environment.plain(Map.of()), new PrintWriter(out, true), new PrintWriter(err, true),
                    "top", "--limit", "1", file.toString());
            assertEquals(0, status, err.toString());
            String read = "ForcedConflicts.lambda$bump$0(" + FILE + ":" + readLine + ")";
            String write = "ForcedConflicts.lambda$bump$0(" + FILE + ":" + writeLine + ")";
            assertTrue(out.toString().contains(read) && out.toString().contains(write), file + ":\n" + out);
        }
        StringWriter check = new StringWriter();
        assertEquals(0, Stmlog.run(Environment.plain(Map.of()), new PrintWriter(check, true), new PrintWriter(new StringWriter()),
                "check", jfr.toString()));
        assertTrue(check.toString().contains("JDK Flight Recorder recording (stmlog events)"), check.toString());
    }

    /**
     * A wait for an inevitable transaction, JFR alone: a dev.stmlog.Conflict that waited, naming
     * the waiting call and the inevitable one, and a dev.stmlog.Inevitable naming the latter;
     * {@code top} charges the wait to the pair, as it does from the log.
     */
    @Test
    void anInevitableWaitNamesBothCalls() throws Exception {
        Path jfr = dir.resolve("inevitable.jfr");
        record(jfr, null, "inevitable");
        String json = jfrTool("print", "--json", "--events", "dev.stmlog.Conflict,dev.stmlog.Inevitable", jfr.toString()).out();
        assertTrue(json.contains("\"waited\": true"), json);
        assertTrue(json.contains("\"site\": \"dev.stmlog.samples.diagnosis.ForcedConflicts.lambda$inevitable$"), json);
        assertTrue(json.contains("(" + FILE + ":" + inevitableLine + ")"), json);
        assertTrue(json.contains("(" + FILE + ":" + waitsLine + ")"), json);
        TopView top = Analyzer.analyze(List.of(jfr), AnalysisOptions.defaults(), Progress.NONE).top(SortKey.TOTAL, 100, null);
        String sites = describe(top);
        SiteRow first = top.sites().get(0);
        assertEquals("INEVITABLE", first.kind().label(), sites);
        assertEquals(1, first.count(), sites);
        assertTrue(at(first.frames(), waitsLine), "the waiting call, line " + waitsLine + ":" + sites);
        assertTrue(at(first.otherFrames(), inevitableLine), "the inevitable call, line " + inevitableLine + ":" + sites);
        assertTrue(first.pausedNanos() > 0, sites);
    }

    private static int occurrences(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) n++;
        return n;
    }
}
