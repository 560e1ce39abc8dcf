package dev.stmlog.format;

import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chunks decoded in parallel reach the visitor exactly as read one after another: the same calls
 * in the same order, the same counts, damage and notes, whatever the file, the number of decoders
 * and the size of the batches (small batches here, so that small files make many of them).
 */
@Timeout(120)
class ParallelDecodingTest {

    /** Everything a visitor is told, in order: the events, and the metadata where it comes. */
    record Read(List<Object> calls, ReadResult result) {}

    static Read read(byte[] file, int decoders, int batchBytes) throws IOException {
        List<Object> calls = new ArrayList<>();
        try (LogReader r = LogReader.open(Channels.newChannel(new ByteArrayInputStream(file)), "memory.stmlog")) {
            ReadResult result = r.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    calls.add(e);
                }

                @Override
                public void metadata(Metadata m) {
                    calls.add(m);
                }
            }, decoders, batchBytes);
            return new Read(calls, result);
        }
    }

    /** Reads {@code file} one batch at a time on this thread and in parallel in several ways; all must agree. */
    static Read assertSameReads(byte[] file) throws IOException {
        Read sequential = read(file, 0, Batch.DEFAULT_BYTES);
        for (int batch : new int[] {64, 1 << 10, 16 << 10}) {
            assertSame(sequential, read(file, 0, batch), "sequential, batches of " + batch + " bytes");
            for (int decoders : new int[] {1, 2, 4}) {
                assertSame(sequential, read(file, decoders, batch), decoders + " decoders, batches of " + batch + " bytes");
            }
        }
        return sequential;
    }

    private static void assertSame(Read expected, Read actual, String how) {
        assertEquals(expected.result(), actual.result(), how);
        assertEquals(expected.calls().size(), actual.calls().size(), how);
        assertEquals(expected.calls(), actual.calls(), how);
    }

    private static byte[] randomLog(long seed) throws IOException {
        return TestLogs.writeEvents(TestLogs.options(new ArrayList<>()), RandomEvents.generate(seed, 4, 30_000));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void intactLogsOfEveryEventType(long seed) throws Exception {
        byte[] file = randomLog(seed);
        assertTrue(TestLogs.chunks(file).size() > 10, "many chunks");
        Read r = assertSameReads(file);
        assertFalse(r.result().damage().isDamaged());
        assertEquals(r.result().events() + 1, r.calls().size(), "every event and the metadata");
    }

    @Test
    void aCorruptChunkInTheMiddle() throws Exception {
        byte[] file = randomLog(4);
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        TestLogs.RawChunk victim = chunks.get(chunks.size() / 2);
        byte[] damaged = file.clone();
        damaged[victim.start() + 40] ^= 0x55;
        Read r = assertSameReads(damaged);
        Damage d = r.result().damage();
        assertEquals(1, d.missingChunks());
        assertEquals(victim.end() - victim.start(), d.bytesSkipped());
        assertTrue(d.notes().contains("CRC mismatch in chunk #" + victim.index() + " at byte " + victim.start()),
                d.notes()::toString);
    }

    @Test
    void aTruncatedTail() throws Exception {
        byte[] file = randomLog(5);
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        TestLogs.RawChunk last = chunks.get(chunks.size() - 3);
        Read r = assertSameReads(Arrays.copyOf(file, last.start() + (last.end() - last.start()) / 2));
        assertEquals(last.start(), r.result().damage().truncatedAt());
        assertFalse(r.result().cleanClose());
    }

    @Test
    void cutsAtChunkBoundariesAndInsideHeaders() throws Exception {
        byte[] file = randomLog(6);
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        for (int i = 1; i < chunks.size(); i += 7) {
            int at = chunks.get(i).start();
            assertSameReads(Arrays.copyOf(file, at));      // no trailer
            assertSameReads(Arrays.copyOf(file, at + 20)); // inside a chunk header
        }
    }

    @Test
    void garbageBetweenChunksAndChunksOutOfOrder() throws Exception {
        byte[] file = randomLog(7);
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, chunks.get(0).start());
        Random random = new Random(7);
        for (int i = 0; i < chunks.size(); i++) {
            TestLogs.RawChunk c = chunks.get(i);
            // chunks 5 and 6 swapped, 9 dropped; garbage (with a stray marker now and then) between some
            TestLogs.RawChunk write = i == 5 ? chunks.get(6) : i == 6 ? chunks.get(5) : c;
            if (i != 9) out.write(file, write.start(), write.end() - write.start());
            if (i % 4 == 3) {
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                out.write(junk, 0, junk.length);
                if (i % 8 == 7) out.write(new byte[] {'C', 'H', 'N', 'K', 1, 0, 0, 0}, 0, 8);
            }
        }
        Read r = assertSameReads(out.toByteArray());
        Damage d = r.result().damage();
        assertTrue(d.damagedRegions() >= 1 && d.missingChunks() >= 1, d.notes()::toString);
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("out of order")), d.notes()::toString);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void randomCorruption(long seed) throws Exception {
        byte[] file = randomLog(seed);
        Random r = new Random(seed);
        for (int i = 1 + r.nextInt(8); i > 0; i--) file[16 + r.nextInt(file.length - 16)] ^= (byte) (1 + r.nextInt(255));
        if (r.nextBoolean()) file = Arrays.copyOf(file, file.length - r.nextInt(file.length / 3));
        assertSameReads(file);
    }

    @Test
    void malformedRecordsInManyChunksAreNotedInFileOrder() throws Exception {
        // more than the 100 notes kept: which are kept, and the count of the rest, must not change
        ChunkBuilder b = new ChunkBuilder();
        for (int i = 0; i < 150; i++) {
            b.record(0x20, 1).record(0x22, 1, 99).record(0x2B, 1, 0, 5).record(0x23, 1, 7).record(0x21, 1).chunk(1 + i % 3, i);
        }
        Read r = assertSameReads(b.bytes());
        Damage d = r.result().damage();
        assertEquals(450, d.malformedRecords());
        assertEquals(101, d.notes().size(), "100 notes and a count of the rest");
        assertEquals(300, r.result().events());
    }

    @Test
    void chunksLargerThanABatch() throws Exception {
        // chunks of up to 1 MiB read in batches of 1 KiB: each such batch takes the whole budget
        // and is decoded by the reading thread, a slice at a time
        byte[] file = TestLogs.write(TestLogs.options(new ArrayList<>()).withBufferSize(1 << 20), log -> {
            ThreadWriter[] w = {log.forThread(1), log.forThread(2)};
            long t = TestLogs.ORIGIN;
            for (int i = 0; i < 400_000; i++) {
                w[i % 2].txStart(t += 3);
                w[i % 2].txCommit(t += 5);
            }
        });
        assertTrue(TestLogs.chunks(file).stream().anyMatch(c -> c.end() - c.start() > 512 << 10), "large chunks");
        Read r = assertSameReads(file);
        assertEquals(800_000, r.result().events());
    }

    /** A visitor that stops the read by throwing: the exception comes through, and nothing is left running. */
    @Test
    void aVisitorThatThrowsStopsTheRead() throws Exception {
        byte[] file = randomLog(8);
        class Stop extends RuntimeException {}
        for (int decoders : new int[] {0, 2}) {
            int[] seen = new int[1];
            try (LogReader r = LogReader.open(Channels.newChannel(new ByteArrayInputStream(file)), "memory.stmlog")) {
                assertThrows(Stop.class, () -> r.read(new EventVisitor() {
                    @Override
                    public void event(Event e) {
                        if (++seen[0] == 1000) throw new Stop();
                    }

                    @Override
                    public void txStart(long time, long thread) {
                        event(new TxStart(time, thread));
                    }

                    @Override
                    public void txCommit(long time, long thread) {
                        event(new TxCommit(time, thread));
                    }
                }, decoders, 1 << 10));
            }
            assertEquals(1000, seen[0]);
        }
        // the read waits for its threads to finish their work; they may take a moment more to end
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(ParallelDecodingTest::isReaderThread)) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("threads left: " + Thread.getAllStackTraces().keySet());
            Thread.yield();
        }
    }

    private static boolean isReaderThread(Thread t) {
        return t.isAlive() && (t.getName().equals("stmlog-scanner") || t.getName().equals("stmlog-decoder"));
    }
}
