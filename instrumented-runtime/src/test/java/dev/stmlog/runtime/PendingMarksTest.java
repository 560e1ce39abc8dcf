package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.UserMarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread's counted marks ({@link PendingMarks}) and the markers' slots ({@link Markers}),
 * written to a log in this JVM and read back: the counts and sums of each name, by name and by
 * slot, and the time of their records (the tick they were counted under, or the thread's last
 * record if later). The recorder's use of them, with real threads and timed marks around them,
 * is {@code CountedMarksTest}.
 */
class PendingMarksTest {

    @TempDir
    Path dir;
    private Path file;
    private LogWriter log;
    private ThreadWriter writer;
    /** The log's time origin, and a time after the thread's writer was made: ticks count from it. */
    private long origin;
    private long base;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("marks.stmlog");
        Metadata metadata = Metadata.ofThisJvm(1, Map.of());
        origin = metadata.originNanoTime();
        log = LogWriter.open(file, metadata, WriterOptions.defaults().withCloseOnShutdown(false));
        writer = log.forCurrentThread();
        base = System.nanoTime();
    }

    /** The coarse clock's time {@code t} ns after {@link #base}. */
    private long at(long t) {
        return base + t;
    }

    @AfterEach
    void close() {
        log.close();
    }

    private List<UserMarks> marksRead() throws Exception {
        log.close();
        List<Event> events = new ArrayList<>();
        try (LogReader reader = LogReader.open(file)) {
            reader.read(events::add);
        }
        return events.stream().filter(e -> e instanceof UserMarks).map(e -> (UserMarks) e).toList();
    }

    /** The record read back for marks written at {@code at(t)}. */
    private UserMarks marks(long t, String name, long count, long sum) {
        return new UserMarks(at(t) - origin, Thread.currentThread().getId(), name, count, sum);
    }

    @Test
    void aSlotCountsOnlyUnderItsTickAndOnceMade() throws Exception {
        int[] ids = {log.string("a"), log.string("b"), log.string("c")};
        PendingMarks p = new PendingMarks();
        assertFalse(p.pending());
        assertFalse(p.countInSlot(0, 1, at(100)), "no slot yet");
        p.addSlots(1, 3, ids);
        assertTrue(p.hasSlot(1));
        p.tick = at(100);
        assertFalse(p.countInSlot(1, 5, at(101)), "counted under another tick");
        assertTrue(p.countInSlot(1, 5, at(100)));
        assertTrue(p.countInSlot(1, 6, at(100)));
        assertTrue(p.countInSlot(0, 2, at(100)), "slot 0 came with slot 1");
        assertFalse(p.countInSlot(Marker.NO_SLOT, 1, at(100)), "a marker without a slot");
        assertTrue(p.pending());

        p.write(writer, at(40));
        assertFalse(p.pending());
        assertFalse(p.countInSlot(1, 1, at(100)), "after a write, the tick is taken again before counting");

        p.tick = at(200);
        assertTrue(p.countInSlot(1, 1, at(200)));
        p.write(writer, at(250)); // the thread wrote a record at 250: not before it
        assertEquals(List.of(marks(100, "a", 1, 2), marks(100, "b", 2, 11), marks(250, "b", 1, 1)), marksRead());
    }

    @Test
    void namesAndSlotsAreWrittenTogetherAndTheNameTableIsBounded() throws Exception {
        PendingMarks p = new PendingMarks();
        p.addSlots(0, 1, new int[] {log.string("slotted")});
        p.tick = at(300);
        assertTrue(p.countInSlot(0, 4, at(300)));
        for (int i = 0; i < PendingMarks.MAX_NAMES; i++) {
            assertTrue(p.add("name-" + i, i, log));
        }
        assertTrue(p.add(new String("name-3"), 3, log), "a name known by value");
        assertFalse(p.add("one-too-many", 1, log), "the table is full");
        p.write(writer, at(0));
        p.clearNames();
        p.tick = at(400);
        assertTrue(p.add("one-too-many", 1, log));
        p.write(writer, at(0));

        List<UserMarks> expected = new ArrayList<>();
        for (int i = 0; i < PendingMarks.MAX_NAMES; i++) {
            expected.add(marks(300, "name-" + i, i == 3 ? 2 : 1, i == 3 ? 6 : i));
        }
        expected.add(marks(300, "slotted", 1, 4));
        expected.add(marks(400, "one-too-many", 1, 1));
        assertEquals(expected, marksRead());
    }

    @Test
    void markersHaveOneSlotPerNameInOrderAndAThreadGetsTheNamesOfTheSlotsBeforeItsOwn() throws Exception {
        Marker x = Markers.of("pending-marks-test-x", log);
        Marker y = Markers.of("pending-marks-test-y", log);
        assertSame(x, Markers.of(new String("pending-marks-test-x"), log));
        assertEquals(x.slot + 1, y.slot);
        assertEquals("pending-marks-test-y", y.name());
        assertNotEquals(x.nameId, y.nameId);

        PendingMarks p = new PendingMarks();
        Markers.grow(p, y.slot);
        p.tick = at(500);
        assertTrue(p.countInSlot(x.slot, 9, at(500)), "x's slot, made before y's, came with it");
        assertTrue(p.countInSlot(y.slot, 1, at(500)));
        p.write(writer, at(0));
        assertEquals(List.of(marks(500, "pending-marks-test-x", 1, 9), marks(500, "pending-marks-test-y", 1, 1)),
                marksRead().stream().filter(m -> m.name().startsWith("pending-marks-test-")).toList());
    }

    @Test
    void withoutRecordingAMarkerIsANameThatMarksNothing() {
        assertFalse(Stm.isRecording(), "STM_LOG is not set in the tests");
        Marker m = Stm.marker("unrecorded");
        assertEquals("unrecorded", m.name());
        assertEquals(Marker.NO_SLOT, m.slot);
        m.mark(1); // returns, and records nothing
        assertNotSame(m, Stm.marker("unrecorded"), "not registered: nothing to count in");
        assertThrows(NullPointerException.class, () -> Stm.marker(null));
    }
}
