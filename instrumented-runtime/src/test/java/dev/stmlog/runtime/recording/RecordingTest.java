package dev.stmlog.runtime.recording;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UntimedStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records {@link PlantedConflicts} in a child JVM and checks what the log says. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RecordingTest {
    private static final int TASKS = 3_000;
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> env) throws Exception {
        return run(env, PlantedConflicts.class, TASKS);
    }

    static Run run(Map<String, String> env, Class<?> program, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                program.getName(), Integer.toString(count));
        pb.environment().remove("STM_LOG");
        pb.environment().putAll(env);
        // Output to files, read once the child has exited: no pipe can fill and block it, and
        // no read can block this test; the wait has a timeout, after which the child is killed.
        Path out = Files.createTempFile("stmlog-child-", ".out");
        Path err = Files.createTempFile("stmlog-child-", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try {
                p.getOutputStream().close();
                if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the child JVM did not exit within " + CHILD_TIMEOUT_SECONDS + " s; stderr: "
                            + Files.readString(err));
                }
                return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                if (p.isAlive()) p.destroyForcibly(); // interrupted by the test's @Timeout, say
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aRecordedQueueRunIsCompleteAndWellFormed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("planted-%p.stmlog");
        Run run = run(Map.of("STM_LOG", log.toString()));
        assertEquals(0, run.exit(), run.err());
        int ticks = TASKS / 10;
        assertEquals("counter=" + (TASKS - ticks) + " ticks=" + ticks + " side-effects=" + ticks, run.out().trim());

        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.toList();
        }
        assertEquals(1, files.size());
        Path file = files.get(0);
        assertTrue(file.getFileName().toString().matches("planted-\\d+\\.stmlog"), file.toString());
        List<String> errLines = run.err().lines().toList();
        assertEquals(1, errLines.size(), run.err());
        assertTrue(errLines.get(0).matches("stmlog: recorded \\d+ events to .*planted-\\d+\\.stmlog"), errLines.get(0));

        List<Event> events = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(file)) {
            result = reader.read(events::add);
        }
        assertTrue(result.cleanClose());
        assertFalse(result.damage().isDamaged(), result.damage().notes()::toString);
        assertEquals(0, result.damage().eventsLost());
        assertEquals(Long.parseLong(errLines.get(0).replaceAll("\\D+(\\d+).*", "$1")), result.events());

        Map<Long, String> names = new HashMap<>();
        for (Event e : events) if (e instanceof ThreadStart s) names.put(s.thread(), s.name());
        long workerCommits = events.stream()
                .filter(e -> names.getOrDefault(e.thread(), "").startsWith("stm-worker-"))
                .mapToLong(e -> e instanceof TxCommit ? 1 : e instanceof TxCommits c ? c.count() : 0)
                .sum();
        assertEquals(TASKS, workerCommits, "one commit per task");
        assertTrue(events.stream().anyMatch(e -> e instanceof TxCommits), "quiet commits are counted in batches");
        assertEachThreadsEventsAreWellFormed(events);

        // Which lines the conflicts name is tested where the conflicts are forced with latches
        // (samples' ForcedConflictsTest): here they happen or not, as the threads run.
        for (Event e : events) {
            if (e instanceof Contention c && c.kind() != ContentionKind.INEVITABLE) {
                assertTrue(c.ref() > 0, () -> "a conflict on a Ref names it: " + c);
            }
            if (e instanceof AccessSite a) {
                assertTrue(a.ref() > 0 && !a.stack().isEmpty(), () -> "an access site names its Ref and stack: " + a);
            }
        }
    }

    /**
     * Quiet commits are timed by the clock's samples and summed per batch; written attempts
     * exactly, with the samples of their quiet part moved from the batch to the attempt (its
     * UNTIMED_START estimate). {@link dev.stmlog.runtime.SyntheticTicks} drives the sampling
     * with synthetic ticks while its worker is held inside or between transactions, so the sum
     * is known exactly: only ticks inside quiet attempts count, each once. (How close sampled
     * busy time comes to the time measured in transactions is a measurement, not a unit test:
     * benchmarks/sampled-busy-accuracy.sh.)
     */
    @Test
    void busyTimeInTheLogIsTheSumOfTheTicksInsideQuietAttempts(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ticked.stmlog");
        Run run = run(Map.of("STM_LOG", log.toString()), dev.stmlog.runtime.SyntheticTicks.class, 0);
        assertEquals(0, run.exit(), run.err());
        assertEquals("done", run.out().trim());

        List<Event> events = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(events::add);
        }
        assertTrue(result.cleanClose());
        assertFalse(result.damage().isDamaged(), result.damage().notes()::toString);
        assertEachThreadsEventsAreWellFormed(events);

        long worker = events.stream().filter(e -> e instanceof ThreadStart s && s.name().equals(dev.stmlog.runtime.SyntheticTicks.WORKER))
                .mapToLong(Event::thread).findFirst().orElseThrow(() -> new AssertionError("no worker thread in the log"));
        long batchedCommits = 0, batchedBusy = 0, writtenCommits = 0, estimated = 0, untimedStarts = 0, others = 0;
        for (Event e : events) {
            if (e instanceof TxCommits c) {
                if (c.thread() == worker) {
                    batchedCommits += c.count();
                    batchedBusy += c.busyNanos();
                } else {
                    others += c.count();
                }
            }
            if (e instanceof TxCommit c) {
                if (c.thread() == worker) writtenCommits++;
                else others++;
            }
            if (e instanceof UntimedStart u && u.thread() == worker) {
                untimedStarts++;
                estimated += u.estimatedNanos();
            }
        }
        assertEquals(0, others, "only the worker runs transactions");
        assertEquals(2, batchedCommits, "A and C are counted in batches");
        assertEquals(1, writtenCommits, "B, which became inevitable, is written");
        assertEquals(1, untimedStarts, "B's quiet part is estimated from its samples");
        assertTrue(estimated >= 0 && estimated <= 14_000_000, "B's estimate is at most its samples: " + estimated);
        assertEquals(dev.stmlog.runtime.SyntheticTicks.SAMPLED_NANOS, batchedBusy + estimated,
                "batched " + batchedBusy + " + estimated " + estimated);
    }

    /**
     * Per thread, in file order: times never go back; every abort, contention, wait and
     * become-inevitable inside an attempt follows its TxStart; attempts end before a batch.
     */
    private static void assertEachThreadsEventsAreWellFormed(List<Event> events) {
        Map<Long, Long> lastTime = new HashMap<>();
        Map<Long, Boolean> inAttempt = new HashMap<>();
        for (Event e : events) {
            if (e instanceof ThreadStart || e instanceof GcPause) continue;
            long previous = lastTime.getOrDefault(e.thread(), Long.MIN_VALUE);
            assertTrue(e.time() >= previous, () -> "time goes back at " + e);
            lastTime.put(e.thread(), e.time());
            boolean open = inAttempt.getOrDefault(e.thread(), false);
            if (e instanceof TxStart) {
                assertFalse(open, () -> "a start inside an attempt: " + e);
                inAttempt.put(e.thread(), true);
            } else if (e instanceof TxCommit || e instanceof TxAbort) {
                assertTrue(open, () -> "an end without a start: " + e);
                inAttempt.put(e.thread(), false);
            } else if (e instanceof TxCommits) {
                assertFalse(open, () -> "a batch inside an attempt: " + e);
            } else if (e instanceof BecomeInevitable) {
                assertTrue(open, () -> "inevitable outside an attempt: " + e);
            }
        }
    }

    @Test
    void anUnwritableLogLeavesTheProgramRunningWithOneWarning(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "not a directory");
        Run run = run(Map.of("STM_LOG", blocker.resolve("log.stmlog").toString()));
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("counter="), run.out());
        List<String> errLines = run.err().lines().toList();
        assertEquals(1, errLines.size(), run.err());
        assertTrue(errLines.get(0).startsWith("stmlog: cannot record to "), errLines.get(0));
    }

    @Test
    void aDirectoryGetsAFileNamedAfterThePidAndTime(@TempDir Path dir) throws Exception {
        Run run = run(Map.of("STM_LOG", dir.toString()));
        assertEquals(0, run.exit(), run.err());
        try (var list = Files.list(dir)) {
            List<Path> files = list.toList();
            assertEquals(1, files.size());
            assertTrue(files.get(0).getFileName().toString().matches("stm-\\d+-\\d{8}-\\d{6}\\.stmlog"), files.toString());
        }
    }
}
