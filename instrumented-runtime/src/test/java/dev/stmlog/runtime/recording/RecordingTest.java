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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
class RecordingTest {
    private static final int TASKS = 3_000;

    record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> env) throws Exception {
        return run(env, PlantedConflicts.class, TASKS);
    }

    private static Run run(Map<String, String> env, Class<?> program, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                program.getName(), Integer.toString(count));
        pb.environment().remove("STM_LOG");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out), new String(err));
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
     * Quiet commits are timed on a coarse clock and summed per batch; written attempts exactly.
     * Together they must give the time the program measured inside its transactions (within
     * the sampling error of the coarse clock: about 6% here, with ~150 ticks in transactions).
     */
    @Test
    void busyTimeInTheLogIsTheTimeSpentInTransactions(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("timed.stmlog");
        int transactions = 500;
        Run run = run(Map.of("STM_LOG", log.toString()), TimedTransactions.class, transactions);
        assertEquals(0, run.exit(), run.err());
        long measured = Long.parseLong(run.out().trim());

        List<Event> events = new ArrayList<>();
        try (LogReader reader = LogReader.open(log)) {
            reader.read(events::add);
        }
        assertEachThreadsEventsAreWellFormed(events);
        long commits = 0, batched = 0, written = 0, start = 0;
        for (Event e : events) {
            if (e instanceof TxStart s) start = s.time();
            if (e instanceof TxCommit c) {
                commits++;
                written += c.time() - start;
            }
            if (e instanceof TxCommits c) {
                commits += c.count();
                batched += c.busyNanos();
            }
        }
        assertEquals(transactions + 1, commits); // and the first, untimed
        assertTrue(events.stream().filter(e -> e instanceof TxCommit).count() >= transactions / 5, "inevitable attempts are written");
        assertTrue(batched > 0, "quiet commits have busy time");
        double ratio = (double) (batched + written) / measured;
        String busy = "log busy " + (batched + written) / 1_000_000 + " ms (batched " + batched / 1_000_000
                + ", written " + written / 1_000_000 + ") vs measured " + measured / 1_000_000 + " ms";
        assertTrue(ratio > 0.75 && ratio < 1.25, busy);
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
