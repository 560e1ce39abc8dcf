package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A marker's counts are open ({@code Txn.markCounts}) only for the tick they were opened under:
 * the clock thread closes them when it ticks, so that a mark made after a tick, by a marker or
 * with a transaction, is counted under the new tick without the mark looking at the clock. Not a
 * matter of timing: the child ({@link TickedMarks}) waits until the clock's field has changed and
 * its counts are closed (it fails after 60 s if they never are).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TickedMarksTest {

    @Test
    void marksAfterATickAreCountedUnderIt(@TempDir Path dir) throws Exception {
        List<Event> events = run(dir, TickedMarks.class);
        List<UserMarks> marks = events.stream().filter(e -> e instanceof UserMarks m && m.name().equals("ticked"))
                .map(e -> (UserMarks) e).toList();
        // The two later marks may fall under one tick or two (the clock may tick between them).
        assertTrue(marks.size() >= 2, "the later marks are written apart from the first: " + marks);
        assertEquals(List.of(1L, 1L), List.of(marks.get(0).count(), marks.get(0).sum()), "the first tick's mark alone: " + marks);
        assertEquals(3, marks.stream().mapToLong(UserMarks::count).sum(), "every mark: " + marks);
        assertEquals(3, marks.stream().mapToLong(UserMarks::sum).sum(), "every mark's value: " + marks);
        for (UserMarks m : marks.subList(1, marks.size())) {
            assertTrue(m.time() > marks.get(0).time(), "a later tick's record is later: " + marks);
        }
    }

    /**
     * A timed mark closes every thread's open counts, ticks or not: with the ticks closing none
     * ({@link TimedMarkCloses}), a worker's marks made before and after another thread's
     * {@code window.start} fall on each side of it.
     */
    @Test
    void aTimedMarkClosesTheCountsOfEveryThread(@TempDir Path dir) throws Exception {
        List<Event> events = run(dir, TimedMarkCloses.class);
        long start = events.stream().filter(e -> e instanceof UserMark m && m.name().equals("window.start"))
                .mapToLong(Event::time).findFirst().orElseThrow();
        long[] counts = new long[2]; // before, after the window's start
        for (Event e : events) {
            if (e instanceof UserMarks m && m.name().equals("timed")) {
                assertEquals(m.count(), m.sum(), "marks of 1: " + m);
                counts[m.time() < start ? 0 : 1] += m.count();
            }
        }
        assertEquals(List.of(2L, 2L), List.of(counts[0], counts[1]), "the marker's and the transaction's marks before and after");
    }

    private static List<Event> run(Path dir, Class<?> child) throws Exception {
        Path log = dir.resolve("marks.stmlog");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), child.getName());
        pb.environment().put("STM_LOG", log.toString());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the child exits");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), Files.readString(out) + Files.readString(err));
        assertEquals("marked", Files.readString(out).strip());
        List<Event> events = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(events::add);
        }
        assertFalse(result.damage().isDamaged(), () -> result.damage().notes().toString());
        return events;
    }
}
