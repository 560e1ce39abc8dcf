package dev.stmlog.format;

import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTripTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomStreamsOfEveryTypeComeBackAsWritten(long seed) throws Exception {
        List<String> warnings = new ArrayList<>();
        List<Event> written = RandomEvents.generate(seed, 1 + (int) (seed % 4), 20_000);

        byte[] file = TestLogs.writeEvents(TestLogs.options(warnings), written);
        TestLogs.Read read = TestLogs.read(file);

        assertEquals(byThread(written), byThread(read.events()));
        ReadResult result = read.result();
        assertEquals(TestLogs.metadata(), result.metadata());
        assertEquals(WriterOptions.WRITER_VERSION, result.writerVersion());
        assertTrue(result.cleanClose());
        assertEquals(written.size(), result.trailer().eventsWritten());
        assertEquals(written.size(), result.events());
        assertTrue(result.chunks() > 3, "several chunks: " + result.chunks());
        assertFalse(result.damage().isDamaged(), () -> result.damage().notes().toString());
        long lost = written.stream().filter(e -> e instanceof DataLoss).mapToLong(e -> ((DataLoss) e).count()).sum();
        assertEquals(lost, result.damage().eventsLost());
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void everyDistinctStackIsStoredOnce() throws Exception {
        List<Event> written = RandomEvents.generate(99, 2, 20_000);
        byte[] file = TestLogs.writeEvents(TestLogs.options(new ArrayList<>()), written);
        long stackDefinitions = TestLogs.records(file).stream().filter(r -> r.type() == Format.STACK).count();
        long distinctStacks = written.stream().flatMap(RoundTripTest::stacksOf).filter(s -> !s.isEmpty()).distinct().count();
        assertEquals(distinctStacks, stackDefinitions);
    }

    @Test
    void startAndCommitTakeFewBytes() throws Exception {
        // A realistic stream: transactions of 100 ns to 50 us.
        java.util.Random r = new java.util.Random(7);
        int n = 200_000;
        byte[] file = TestLogs.write(TestLogs.options(new ArrayList<>()), log -> {
            ThreadWriter w = log.forThread(1);
            long t = TestLogs.ORIGIN;
            for (int i = 0; i < n; i++) {
                w.txStart(t += 50 + r.nextInt(2_000));
                w.txCommit(t += 100 + r.nextInt(50_000));
            }
        });
        double bytesPerEvent = (double) file.length / (2.0 * n);
        assertTrue(bytesPerEvent <= 6.0, "bytes per start/commit event: " + bytesPerEvent);
    }

    @Test
    void metadataIsTheFirstThingAVisitorSees() throws Exception {
        byte[] file = TestLogs.writeEvents(TestLogs.options(new ArrayList<>()), RandomEvents.generate(3, 2, 100));
        List<Object> seen = new ArrayList<>();
        try (LogReader r = LogReader.open(java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(file)), "m")) {
            r.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    seen.add(e);
                }

                @Override
                public void metadata(dev.stmlog.format.event.Metadata m) {
                    seen.add(m);
                }
            });
        }
        assertNotNull(seen.get(0));
        assertEquals(TestLogs.metadata(), seen.get(0));
    }

    /**
     * A contention of an older writer (no other side's time, flags with bit 0 only) reads as one
     * that says nothing of the other side's commit; one with them, as written (FORMAT.md).
     */
    @Test
    void aContentionOfAnOlderWriterSaysNothingOfTheOtherSidesCommit() throws Exception {
        byte[] file = new ChunkBuilder()
                // dt kind other victim other read label ref flags
                .record(0x23, 1, 2, 3, 0, 0, 0, 0, 5, 1)
                // and flags = at entry | UNCHANGED << 1, other_ns = 1000 + 1 (two bytes: 0xE9 0x07)
                .record(0x23, 1, 2, 3, 0, 0, 0, 0, 5, 1 | 3 << 1, 0xE9, 0x07)
                .chunk(1, 0).bytes();
        List<Event> events = TestLogs.read(file).events();
        assertEquals(2, events.size());
        var old = (dev.stmlog.format.event.Contention) events.get(0);
        assertEquals(5, old.ref());
        assertTrue(old.victimAtEntry());
        assertEquals(dev.stmlog.format.event.ValueChange.NOT_KNOWN, old.otherChange());
        assertEquals(dev.stmlog.format.event.Contention.UNKNOWN_NANOS, old.otherNanos());
        var now = (dev.stmlog.format.event.Contention) events.get(1);
        assertTrue(now.victimAtEntry());
        assertEquals(dev.stmlog.format.event.ValueChange.UNCHANGED, now.otherChange());
        assertEquals(1000, now.otherNanos());
    }

    private static java.util.stream.Stream<dev.stmlog.format.event.Stack> stacksOf(Event e) {
        if (e instanceof dev.stmlog.format.event.Contention c) {
            return java.util.stream.Stream.of(c.victimStack(), c.otherStack(), c.readStack());
        }
        if (e instanceof dev.stmlog.format.event.BecomeInevitable i) return java.util.stream.Stream.of(i.stack());
        return java.util.stream.Stream.empty();
    }

    static Map<Long, List<Event>> byThread(List<Event> events) {
        Map<Long, List<Event>> m = new TreeMap<>();
        for (Event e : events) {
            m.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }
}
