package dev.stmlog.runtime.recording;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.ValueChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the log says of the conflicts {@link ForcedShapes} forces: the other side's commit (did it
 * change the value, how long did its attempt run) in each contention, and the victim's re-run
 * read, completing it, at its own time inside the re-run.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ForcedShapesTest {
    private static final int ROUNDS = 4;

    /** One forced conflict as the reader's log shows it. */
    private record Forced(Contention contention, TxStart attempt, boolean untimed, TxStart rerun, AccessSite read,
                          Event rerunEnd) {}

    @Test
    void aContentionSaysWhatTheOtherSidesCommitDidAndTheReRunsReadCompletesIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("forced.stmlog");
        RecordingTest.Run run = RecordingTest.run(Map.of("STM_LOG", log.toString()), ForcedShapes.class, ROUNDS);
        assertEquals(0, run.exit(), run.err());
        assertEquals("rounds=" + 5 * ROUNDS + " out=" + 5 * ROUNDS + " x=" + ROUNDS + " long=" + ROUNDS
                + " user-equals-calls=0",
                run.out().trim(), "the recorder never calls a user type's equals");

        List<Event> events = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(events::add);
        }
        assertTrue(result.cleanClose());
        long writer = events.stream().filter(e -> e instanceof ThreadStart s && s.name().equals("short-writer"))
                .mapToLong(e -> ((ThreadStart) e).thread()).findFirst().orElseThrow();
        long main = events.stream().filter(e -> e instanceof ThreadStart s && s.name().equals("main"))
                .mapToLong(e -> ((ThreadStart) e).thread()).findFirst().orElseThrow();

        Map<String, ValueChange> expected = Map.of("forced.x", ValueChange.CHANGED, "forced.cache", ValueChange.UNCHANGED,
                "forced.user", ValueChange.NOT_COMPARED, "forced.long", ValueChange.CHANGED,
                "forced.long-same", ValueChange.UNCHANGED);
        for (var e : expected.entrySet()) {
            List<Forced> forced = forced(events, main, e.getKey());
            assertEquals(ROUNDS, forced.size(), "one conflict per round on " + e.getKey());
            for (int i = 0; i < ROUNDS; i++) {
                Forced f = forced.get(i);
                Contention c = f.contention();
                String what = e.getKey() + " round " + (i + 1) + ": " + c;
                assertEquals(ContentionKind.WRITE_READ, c.kind(), what);
                assertEquals(writer, c.otherThread(), what);
                // the first conflict makes the Ref contended: only later commits of it say anything
                assertEquals(i == 0 ? ValueChange.NOT_KNOWN : e.getValue(), c.otherChange(), what);
                // from the writer's second contended write on, its attempts are timed; the first
                // Ref's second round is its first such write
                boolean timed = i > 1 || (i == 1 && !e.getKey().equals("forced.x"));
                assertEquals(timed, c.otherNanos() >= 0, what);
                if (timed && !f.untimed()) {
                    // the writer's attempt started after the reader's and committed before its conflict
                    assertTrue(c.otherNanos() <= c.time() - f.attempt().time(), what);
                }
                // the conflict is met at commit: its victim is the re-run's first read of the Ref,
                // recorded at its time inside the re-run, at the line that reads it
                assertTrue(c.victimStack().isEmpty(), what);
                assertNotNull(f.read(), "the re-run's read completes " + what);
                assertTrue(f.read().time() >= f.rerun().time() && f.read().time() <= f.rerunEnd().time(), what);
                assertTrue(f.rerunEnd() instanceof TxCommit, what);
                assertTrue(f.read().stack().frames().stream().anyMatch(fr -> fr.className().endsWith("ForcedShapes")
                        && fr.method().startsWith("lambda$main")), () -> "the reading line: " + f.read());
            }
        }
    }

    /** The reader's WRITE_READ conflicts on the Ref labelled {@code label}, with their attempts and re-runs. */
    private static List<Forced> forced(List<Event> events, long thread, String label) {
        List<Event> mine = events.stream().filter(e -> e.thread() == thread && !(e instanceof ThreadStart)).toList();
        List<Forced> out = new ArrayList<>();
        TxStart start = null;
        boolean untimed = false;
        for (int i = 0; i < mine.size(); i++) {
            Event e = mine.get(i);
            if (e instanceof TxStart s) {
                start = s;
                untimed = false;
            } else if (e instanceof UntimedStart) {
                untimed = true;
            } else if (e instanceof Contention c && label.equals(c.label())) {
                assertTrue(mine.get(i + 1) instanceof TxAbort, () -> "an abort follows " + c);
                TxStart rerun = null;
                AccessSite read = null;
                Event end = null;
                for (int j = i + 2; j < mine.size() && end == null; j++) {
                    Event n = mine.get(j);
                    if (n instanceof TxStart s) rerun = s;
                    else if (n instanceof AccessSite a && rerun != null && read == null && a.ref() == c.ref()
                            && a.access() == AccessKind.READ) read = a;
                    else if (rerun != null && (n instanceof TxCommit || n instanceof TxAbort)) end = n;
                }
                assertNotNull(rerun, () -> "a re-run follows " + c);
                out.add(new Forced(c, start, untimed, rerun, read, end));
            }
        }
        assertFalse(out.isEmpty(), "conflicts on " + label);
        return out;
    }
}
