package dev.stmlog.runtime.recording;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.UserMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must not silently cost a recording: an interrupted first thread, a second process on
 * the same log, a failing recorder. Each runs child JVMs with {@code STM_LOG} set, each with a
 * timeout; their stdout and stderr go to files, so that no pipe can fill and block them. Each
 * test has a timeout too, and children left running after it are killed.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RecordingRobustnessTest {
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    /** A running child JVM and where its output goes. */
    private record Child(Process process, Path outFile, Path errFile) {
        String out() throws IOException {
            return Files.readString(outFile);
        }

        List<String> errLines() throws IOException {
            return Files.readAllLines(errFile);
        }

        /** Waits for it to exit (at most the timeout, then kills it and fails) and returns its status. */
        int await() throws Exception {
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not exit within " + CHILD_TIMEOUT_SECONDS + " s; stderr: "
                        + Files.readString(errFile));
            }
            return process.exitValue();
        }
    }

    private Child start(String label, Map<String, String> env, Class<?> program, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), program.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("STM_LOG");
        pb.environment().putAll(env);
        Path out = dir.resolve(label + ".out");
        Path err = dir.resolve(label + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        started.add(process);
        return new Child(process, out, err);
    }

    /** Children a failed or timed-out test left running (its wait interrupted, say) are killed. */
    @AfterEach
    void killLeftoverChildren() {
        for (Process p : started) if (p.isAlive()) p.destroyForcibly();
    }

    private static String errOf(Child child) {
        try {
            return String.join("\n", child.errLines());
        } catch (IOException e) {
            return e.toString();
        }
    }

    private record Log(List<Event> events, ReadResult result) {
        long commits() {
            return events.stream().mapToLong(e -> e instanceof TxCommit ? 1 : e instanceof TxCommits c ? c.count() : 0).sum();
        }

        List<Long> marks(String name) {
            return events.stream().filter(e -> e instanceof UserMark m && m.name().equals(name))
                    .map(e -> ((UserMark) e).value()).toList();
        }

        void assertComplete(String which) {
            assertTrue(result.cleanClose(), which + " has no trailer");
            assertFalse(result.damage().isDamaged(), () -> which + ": " + result.damage().notes());
            assertEquals(0, result.damage().eventsLost(), which);
        }
    }

    private static Log read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        try (LogReader reader = LogReader.open(file)) {
            ReadResult r = reader.read(events::add);
            return new Log(events, r);
        }
    }

    /**
     * The first thread to use the STM opens the log; an interrupted one made the FileChannel
     * close itself (ClosedByInterruptException): an empty log, recording off, and a warning
     * that read "(null)".
     */
    @Test
    void aFirstThreadThatIsInterruptedStillRecords() throws Exception {
        Path file = dir.resolve("interrupted.stmlog");
        Child child = start("interrupted", Map.of("STM_LOG", file.toString()), InterruptedFirstTransaction.class, "200");
        assertEquals(0, child.await(), child.errLines()::toString);
        assertEquals("counter=200 interrupted=true", child.out().trim(), "the program's own interrupt is kept");
        List<String> err = child.errLines();
        assertEquals(1, err.size(), err::toString);
        assertTrue(err.get(0).matches("stmlog: recorded \\d+ events to .*interrupted\\.stmlog"), err.get(0));

        Log log = read(file);
        log.assertComplete("the log");
        assertEquals(200, log.commits(), "every transaction of the program is recorded");
    }

    /**
     * Two processes given the same STM_LOG: the first locks the file and keeps it; the second
     * records into a sibling named after its pid, and says so in one line. The first holds its
     * log open until told, so that the two recordings overlap for certain.
     */
    @Test
    void twoProcessesOnOneLogEachKeepTheirOwn() throws Exception {
        Path file = dir.resolve("shared.stmlog");
        Map<String, String> env = Map.of("STM_LOG", file.toString());
        Child first = start("first", env, HoldsTheLog.class, "1", "300", "true");
        Child second;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (!first.out().contains("ready") && first.process().isAlive() && System.nanoTime() - deadline < 0) {
                Thread.yield(); // bounded: the child prints "ready" once it holds the log
            }
            assertTrue(first.out().contains("ready"), () -> "the first child never got ready: " + errOf(first));
            second = start("second", env, HoldsTheLog.class, "2", "500", "false");
            assertEquals(0, second.await(), second.errLines()::toString);
            assertTrue(first.process().isAlive(), "the first child still records while the second runs");
        } finally {
            try (OutputStream stdin = first.process().getOutputStream()) {
                stdin.write("finish\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(0, first.await(), first.errLines()::toString);

        long firstPid = first.process().pid();
        long secondPid = second.process().pid();
        Path sibling = dir.resolve("shared-" + secondPid + ".stmlog");
        List<String> secondErr = second.errLines();
        assertEquals(List.of("stmlog: " + file + " is being recorded by another process; recording to " + sibling + " instead"),
                secondErr.stream().filter(l -> !l.startsWith("stmlog: recorded ")).toList(), secondErr::toString);
        assertTrue(secondErr.get(secondErr.size() - 1).endsWith(" events to " + sibling), secondErr::toString);
        List<String> firstErr = first.errLines();
        assertEquals(1, firstErr.size(), firstErr::toString);
        assertTrue(firstErr.get(0).endsWith(" events to " + file), firstErr.get(0));

        Log firstLog = read(file);
        firstLog.assertComplete("the first process's log");
        assertEquals(firstPid, firstLog.result().metadata().pid());
        assertEquals(600, firstLog.commits());
        assertEquals(List.of(1L, 1L), firstLog.marks("process"));

        Log secondLog = read(sibling);
        secondLog.assertComplete("the second process's log");
        assertEquals(secondPid, secondLog.result().metadata().pid());
        assertEquals(500, secondLog.commits());
        assertEquals(List.of(2L), secondLog.marks("process"));
    }

    /**
     * A recorder bug at a clock tick used to be swallowed at every tick, the log skewed without
     * a word. Now: one line, and the log is closed cleanly with what was recorded until then.
     */
    @Test
    void aFailingSamplerStopsRecordingWithOneLine() throws Exception {
        Path file = dir.resolve("failing.stmlog");
        Child child = start("failing", Map.of("STM_LOG", file.toString()), dev.stmlog.runtime.FailingSampler.class, "300");
        assertEquals(0, child.await(), child.errLines()::toString);
        assertEquals("counter=600 stopped=true", child.out().trim());
        List<String> err = child.errLines();
        assertEquals(2, err.size(), err::toString);
        assertTrue(err.get(0).startsWith("stmlog: recording stopped: the recorder failed (java.lang.IllegalStateException:"
                + " injected sampler failure at dev.stmlog.runtime.FailingSampler") && err.get(0).endsWith(
                file + " keeps what was recorded until then"), err.get(0));
        assertTrue(err.get(1).startsWith("stmlog: recorded "), err.get(1));

        Log log = read(file);
        log.assertComplete("the log");
        // The program injected the failure after its first 300 (a volatile write the clock reads),
        // so they are all counted; the 300 after recording stopped are not.
        assertEquals(300, log.commits());
    }
}
