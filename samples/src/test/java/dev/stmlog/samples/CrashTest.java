package dev.stmlog.samples;

import dev.stmlog.analyzer.cli.Environment;
import dev.stmlog.analyzer.cli.Stmlog;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.UserMark;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording program killed with SIGKILL: no shutdown hook runs, so its log has no trailer and
 * may end inside a chunk. {@code stmlog check} says so (exit 1, "no trailer", "truncated at
 * byte"), and everything the writer had flushed before the kill is read: the child
 * ({@link CrashChild}) prints {@code flushed N} only once its log holds its worker's first N
 * commits, so those N commits, and the mark after them, are in the file whatever the moment
 * of the kill, which is random (0 to 2.5 s of further recording after that line, across the
 * writer's 1 s periodic flushes).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashTest {

    private static final int N = 20_000;
    private static final int MAX_EXTRA_MILLIS = 2_500;

    @RepeatedTest(3)
    void aKilledRecordingIsReportedTruncatedAndKeepsWhatWasFlushed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("crash.stmlog");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx128m",
                CrashChild.class.getName(), Integer.toString(N));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("STM_LOG", log.toString());
        pb.environment().remove("STM_LOG_TIMING");
        pb.environment().remove("STM_LOG_MAX_BYTES");
        Process p = pb.start();
        long extraMillis = ThreadLocalRandom.current().nextLong(MAX_EXTRA_MILLIS + 1);
        String context = "killed " + extraMillis + " ms after the flushed line";
        try {
            BlockingQueue<String> lines = readLines(p);
            String line = lines.poll(CrashChild.FLUSH_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS);
            assertNotNull(line, "no line from the child within the timeout; stderr: " + stderr(dir));
            assertEquals("flushed " + N, line, "the child's first line; stderr: " + stderr(dir));
            Thread.sleep(extraMillis); // the child records on: the kill falls anywhere in the writer's work
            assertTrue(p.isAlive(), "the child ended by itself; stderr: " + stderr(dir));
        } finally {
            p.destroyForcibly(); // SIGKILL
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
        assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL; stderr: " + stderr(dir));
        assertFalse(stderr(dir).contains("stmlog: recorded"), "no shutdown hook ran: " + stderr(dir));

        // stmlog check: damaged (exit 1), no trailer, truncated; what was recovered is counted.
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Stmlog.run(Environment.plain(Map.of()), new PrintWriter(out), new PrintWriter(err),
                "check", log.toString());
        String report = context + "\n" + out + err;
        assertEquals(1, status, report);
        assertTrue(out.toString().lines().anyMatch(l -> l.matches(" *clean close: +no \\(no trailer\\)")), report);
        List<String> notes = out.toString().lines().filter(l -> l.startsWith("    - ")).toList();
        assertEquals(1, notes.size(), "one note, the truncation: " + report);
        assertTrue(notes.get(0).startsWith("    - truncated at byte "), report);
        assertTrue(out.toString().contains("DAMAGED: the events above were recovered"), report);

        // Any other verb analyses it anyway, with one warning line naming the truncation.
        StringWriter summary = new StringWriter(), warning = new StringWriter();
        status = Stmlog.run(Environment.plain(Map.of()), new PrintWriter(summary), new PrintWriter(warning),
                "summary", log.toString());
        assertEquals(0, status, context + "\n" + summary + warning);
        List<String> warnings = warning.toString().lines().toList();
        assertEquals(1, warnings.size(), "one warning line: " + warning);
        assertTrue(warnings.get(0).startsWith("stmlog: warning: " + log + ": truncated at byte "), warning.toString());

        // The log read with log-format's reader: the worker's N commits, then its mark.
        long[] worker = {-1};
        long[] commits = {0, 0}; // before the mark, in all
        List<UserMark> flushed = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    if (e instanceof ThreadStart s && s.name().equals(CrashChild.WORKER)) {
                        worker[0] = s.thread();
                    } else if (e.thread() == worker[0]) {
                        if (e instanceof TxCommit) count(1);
                        else if (e instanceof TxCommits c) count(c.count());
                        else if (e instanceof UserMark m && m.name().equals(CrashChild.FLUSHED_MARK)) flushed.add(m);
                    }
                }

                private void count(long n) {
                    if (flushed.isEmpty()) commits[0] += n;
                    commits[1] += n;
                }
            });
        }
        String read = context + "; " + result;
        assertFalse(result.cleanClose(), read);
        assertTrue(result.damage().truncatedAt() >= 0, read);
        assertTrue(worker[0] >= 0, "the worker thread's name is in the log: " + read);
        assertEquals(1, flushed.size(), "the worker's \"" + CrashChild.FLUSHED_MARK + "\" mark: " + read);
        assertEquals(N, flushed.get(0).value(), read);
        assertEquals(N, commits[0], "exactly the worker's first N commits before its mark: " + read);
        assertTrue(commits[1] >= N, read);
    }

    /** The child's stdout, line by line, read by a daemon thread so that every wait can time out. */
    private static BlockingQueue<String> readLines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // the child was killed: its stdout ends
            }
        }, "crash-child-stdout");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static String stderr(Path dir) throws IOException {
        Path f = dir.resolve("err.txt");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
