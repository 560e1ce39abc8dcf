package dev.stmlog.runtime.recording;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Stm.mark}, {@code Marker.mark} and {@code Stm.atomic(marker, body)} are counted and written with the batches (MARKS
 * records), with the exact count and sum of each name (by name past a thread's table of names,
 * and past the runtime's slots for markers; in a slot the thread has not used; a transaction's
 * mark once per committed transaction, not per attempt, none if it throws), and the counts fall
 * on the right side of the timed {@code window.start} and {@code window.end} marks, for threads
 * that stay alive across them: exactly the marks made between the two are in the window. Not a
 * matter of timing: the child's phases are ordered by latches, and each timed mark advances the
 * recorder's coarse clock, under which the marks are counted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CountedMarksTest {

    private static final int N = 20_000;

    @Test
    void countedMarksFallOnTheRightSideOfTheTimedOnes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("marks.stmlog");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CountedMarks.class.getName(), Integer.toString(N));
        pb.environment().put("STM_LOG", log.toString());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child exits");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), Files.readString(out) + Files.readString(err));
        int t = CountedMarks.THREADS;
        assertEquals("before=" + t * N + " in=" + t * 2 * N + " after=" + t * 3 * N, Files.readString(out).strip());

        List<Event> events = new ArrayList<>();
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(events::add);
        }
        assertFalse(result.damage().isDamaged(), () -> result.damage().notes().toString());
        long start = timedMark(events, "window.start");
        long end = timedMark(events, "window.end");
        long[] ops = new long[3]; // before, in, after the window
        Map<String, List<Long>> names = new HashMap<>(); // count, sum
        for (Event e : events) {
            if (e instanceof UserMark m) {
                assertTrue(m.name().startsWith("window."), "only the window's marks are written one by one: " + m);
            } else if (e instanceof UserMarks m && m.name().equals("op")) {
                assertEquals(m.count(), m.sum(), "each op mark has value 1");
                ops[m.time() < start ? 0 : m.time() < end ? 1 : 2] += m.count();
            } else if (e instanceof UserMarks m) {
                assertTrue(m.time() >= start && m.time() < end, "the other marks are made in the window: " + m);
                names.merge(m.name(), List.of(m.count(), m.sum()), (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
            }
        }
        assertEquals(List.of((long) t * N, (long) t * 2 * N, (long) t * 3 * N), List.of(ops[0], ops[1], ops[2]),
                "op marks before, in and after the window");
        Map<String, List<Long>> expected = new HashMap<>();
        for (long k = 0; k < CountedMarks.NAMES; k++) expected.put("name-" + k, List.of(1L, k));
        for (long k = 0; k < CountedMarks.MARKERS; k++) expected.put("marker-" + k, List.of(1L, k));
        expected.put("late", List.of(1L, 7L));
        expected.put("early", List.of(3L, 15L));
        expected.put("nested", List.of(2L, 2L)); // a conflicted transaction's, once; none for a rolled-back one
        assertEquals(expected, names, "count and sum of each name");
    }

    private static long timedMark(List<Event> events, String name) {
        List<Long> times = events.stream().filter(e -> e instanceof UserMark m && m.name().equals(name)).map(Event::time).toList();
        assertEquals(1, times.size(), name);
        return times.get(0);
    }
}
