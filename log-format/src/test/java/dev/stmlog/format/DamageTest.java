package dev.stmlog.format;

import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated and corrupted files: everything intact comes back, and the damage is reported. */
class DamageTest {

    /** A small file of several chunks: metadata, pools, four threads' events, trailer. */
    private static byte[] smallMultiChunkFile() throws Exception {
        return TestLogs.writeEvents(TestLogs.options(new ArrayList<>()), RandomEvents.generate(21, 4, 300));
    }

    @Test
    void truncationAtEveryByteReturnsEveryCompleteRecordBeforeTheCut() throws Exception {
        byte[] file = smallMultiChunkFile();
        assertTrue(TestLogs.chunks(file).size() >= 6, "multi-chunk: " + TestLogs.chunks(file).size());
        List<Event> all = TestLogs.read(file).events();
        List<TestLogs.RawRecord> records = TestLogs.records(file);

        for (int cut = 0; cut < file.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(file, cut);
            TestLogs.Read read = TestLogs.read(part);
            int complete = 0;
            for (TestLogs.RawRecord r : records) {
                if (r.end() <= cut && Format.isTimed(r.type())) complete++;
            }
            String at = "cut at byte " + cut;
            assertEquals(all.subList(0, complete), read.events(), at);
            assertTrue(read.result().damage().truncatedAt() >= 0, at);
            assertTrue(read.result().damage().truncatedAt() <= cut, at);
            assertFalse(read.result().cleanClose(), at);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void randomCorruptionIsReportedAndEveryIntactChunkIsRead(long seed) throws Exception {
        // Hot events only: each is identified by (thread, time, type) without pools.
        byte[] file = TestLogs.write(TestLogs.options(new ArrayList<>()), log -> {
            Random r = new Random(seed);
            List<ThreadWriter> writers = List.of(log.forThread(1), log.forThread(2), log.forThread(3));
            long[] t = {TestLogs.ORIGIN, TestLogs.ORIGIN, TestLogs.ORIGIN};
            for (int i = 0; i < 30_000; i++) {
                int k = r.nextInt(3);
                writers.get(k).txStart(t[k] += 1 + r.nextInt(300));
                writers.get(k).txCommit(t[k] += 1 + r.nextInt(300));
            }
        });
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        List<TestLogs.RawRecord> records = TestLogs.records(file);

        Random r = new Random(seed * 31);
        byte[] damaged = file.clone();
        Set<Integer> hit = new HashSet<>();
        int flips = 1 + r.nextInt(6);
        for (int i = 0; i < flips; i++) {
            int at = chunks.get(0).end() + r.nextInt(file.length - chunks.get(0).end());
            damaged[at] ^= (byte) (1 + r.nextInt(255));
            for (TestLogs.RawChunk c : chunks) if (at >= c.start() && at < c.end()) hit.add(c.index());
        }

        TestLogs.Read read = TestLogs.read(damaged);
        Set<String> got = new HashSet<>();
        for (Event e : read.events()) got.add(key(e));
        Set<String> original = new HashSet<>();
        for (TestLogs.RawRecord rec : records) {
            if (!Format.isTimed(rec.type())) continue;
            String k = rec.thread() + "/" + rec.time() + "/" + rec.type();
            original.add(k);
            if (!hit.contains(rec.chunk())) assertTrue(got.contains(k), "intact record lost: " + k);
        }
        assertTrue(original.containsAll(got), "no invented events");
        Damage d = read.result().damage();
        assertTrue(d.isDamaged(), "damage reported");
        assertTrue(d.bytesSkipped() > 0 || d.missingChunks() > 0 || d.truncatedAt() >= 0, d.notes()::toString);
        assertFalse(d.notes().isEmpty());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("at byte")), d.notes()::toString);
    }

    private static String key(Event e) {
        int type;
        if (e instanceof TxStart) type = Format.TX_START;
        else if (e instanceof TxCommit) type = Format.TX_COMMIT;
        else if (e instanceof TxAbort) type = Format.TX_ABORT;
        else if (e instanceof WaitBegin) type = Format.WAIT_BEGIN;
        else if (e instanceof WaitEnd) type = Format.WAIT_END;
        else type = -1;
        return e.thread() + "/" + e.time() + "/" + type;
    }

    @Test
    void aSkippedChunkIsCountedAsMissingFromTheSequence() throws Exception {
        byte[] file = smallMultiChunkFile();
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        TestLogs.RawChunk victim = chunks.get(chunks.size() - 2); // the last event chunk
        byte[] damaged = file.clone();
        damaged[victim.start() + 40] ^= 0x55;

        Damage d = TestLogs.read(damaged).result().damage();
        assertEquals(1, d.missingChunks());
        assertEquals(1, d.damagedRegions());
        assertEquals(victim.end() - victim.start(), d.bytesSkipped());
        assertTrue(d.notes().contains("CRC mismatch in chunk #" + victim.index() + " at byte " + victim.start()), d.notes()::toString);
    }

    @Test
    void notAStmlogFileIsRefusedWithItsOffset() {
        byte[] bytes = "STMGC-C8-PROF01\n and then some".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        LogFormatException e = org.junit.jupiter.api.Assertions.assertThrows(LogFormatException.class, () -> TestLogs.read(bytes));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("not a stmlog log"), e.getMessage());
    }

    @Test
    void anUnsupportedVersionIsRefused() throws Exception {
        byte[] file = smallMultiChunkFile();
        file[8] = 2;
        LogFormatException e = org.junit.jupiter.api.Assertions.assertThrows(LogFormatException.class, () -> TestLogs.read(file));
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }
}
