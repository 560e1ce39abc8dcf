package dev.stmlog.format;

import dev.stmlog.format.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogTail} on a file written piece by piece, as a live writer appends it: every chunk's
 * events arrive once the chunk is complete, in the order and number a reader of the finished file
 * sees; a chunk being written is neither read nor reported; the trailer ends it; a writer gone
 * without closing is reported as a reader of the cut file reports it.
 */
class LogTailTest {

    /** A log of random events in small chunks (16 KiB buffers): many chunks, several threads. */
    private static byte[] log() throws IOException {
        return TestLogs.writeEvents(TestLogs.options(new ArrayList<>()), RandomEvents.generate(7, 4, 20_000));
    }

    private static void append(Path file, byte[] bytes, int from, int to) throws IOException {
        Files.write(file, Arrays.copyOfRange(bytes, from, to), StandardOpenOption.APPEND);
    }

    @Test
    void eachChunkIsReadOnceCompleteAndTheTrailerEndsTheTail(@TempDir Path dir) throws IOException {
        byte[] f = log();
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(f);
        assertTrue(chunks.size() > 10, "a log of many chunks: " + chunks.size());
        List<Event> all = TestLogs.read(f).events();
        Path file = dir.resolve("live.stmlog");
        Files.write(file, new byte[0]);
        List<Event> seen = new ArrayList<>();
        try (LogTail tail = LogTail.open(file, seen::add)) {
            assertFalse(tail.poll(), "an empty file: nothing yet");
            append(file, f, 0, 5); // the header, being written
            tail.poll();
            assertEquals(0, tail.result().events());
            int written = 5;
            int eventsBefore = 0;
            for (TestLogs.RawChunk c : chunks) {
                // half of the chunk: its header and part of its payload are there, it is not complete
                int half = c.start() + (c.end() - c.start()) / 2;
                append(file, f, written, half);
                tail.poll();
                assertEquals(eventsBefore, seen.size(), "nothing of chunk #" + c.index() + " before it is complete");
                assertFalse(tail.result().damage().isDamaged(), "a chunk being written is not damage: " + tail.result().damage());
                append(file, f, half, c.end());
                written = c.end();
                assertTrue(tail.poll(), "chunk #" + c.index() + " read");
                // the events of the chunks so far are those a reader of the file cut here reads
                List<Event> prefix = TestLogs.read(Arrays.copyOf(f, written)).events();
                assertEquals(prefix, seen, "after chunk #" + c.index());
                assertEquals(prefix.size(), tail.result().events());
                assertFalse(tail.result().damage().isDamaged(), tail.result().damage().toString());
                eventsBefore = seen.size();
                assertEquals(c.index() == chunks.size() - 1, tail.closed(), "closed only at the trailer, chunk #" + c.index());
            }
            assertEquals(all, seen);
            ReadResult r = tail.result();
            assertNotNull(r.trailer());
            assertNotNull(r.metadata());
            assertEquals(chunks.size(), r.chunks());
            assertEquals(TestLogs.read(f).result(), new ReadResult(r.name().replace(file.toString(), "memory.stmlog"),
                    r.writerVersion(), r.metadata(), r.chunks(), r.records(), r.events(), r.unknownRecords(), r.trailer(),
                    r.damage()));
            assertFalse(tail.poll(), "nothing after the trailer");
            assertEquals(f.length, tail.position(), "read to the end");
        }
    }

    @Test
    void aWriterGoneWithoutClosingIsReportedAsTheCutFileIs(@TempDir Path dir) throws IOException {
        byte[] f = log();
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(f);
        TestLogs.RawChunk cutIn = chunks.get(chunks.size() / 2);
        int cut = cutIn.start() + 36 + (cutIn.end() - cutIn.start() - 36) * 2 / 3;
        Path file = dir.resolve("cut.stmlog");
        Files.write(file, Arrays.copyOf(f, cut));
        List<Event> seen = new ArrayList<>();
        try (LogTail tail = LogTail.open(file, seen::add)) {
            tail.poll();
            assertFalse(tail.result().damage().isDamaged(), "not damage while the writer may be writing");
            ReadResult r = tail.finish();
            TestLogs.Read expected = TestLogs.read(Arrays.copyOf(f, cut));
            assertEquals(expected.events(), seen, "the cut chunk's complete records too");
            assertEquals(cutIn.start(), r.damage().truncatedAt());
            assertEquals(expected.result().damage().truncatedAt(), r.damage().truncatedAt());
            assertEquals(expected.result().damage().notes(), r.damage().notes());
            assertFalse(tail.poll());
        }
    }

    @Test
    void aLogCutBetweenChunksIsReportedWithoutTrailerAtFinish(@TempDir Path dir) throws IOException {
        byte[] f = log();
        TestLogs.RawChunk last = TestLogs.chunks(f).get(3);
        Path file = dir.resolve("between.stmlog");
        Files.write(file, Arrays.copyOf(f, last.end()));
        try (LogTail tail = LogTail.open(file, e -> { })) {
            tail.poll();
            assertEquals(-1, tail.result().damage().truncatedAt());
            ReadResult r = tail.finish();
            assertEquals(last.end(), r.damage().truncatedAt());
            assertEquals(TestLogs.read(Arrays.copyOf(f, last.end())).result().damage().notes(), r.damage().notes());
        }
    }

    @Test
    void damageInACompleteChunkIsReportedAtOnce(@TempDir Path dir) throws IOException {
        byte[] f = log();
        List<TestLogs.RawChunk> chunks = TestLogs.chunks(f);
        TestLogs.RawChunk bad = chunks.get(5);
        byte[] damaged = f.clone();
        damaged[bad.start() + 40] ^= 0x55; // inside its payload: its CRC fails
        Path file = dir.resolve("damaged.stmlog");
        int upTo = chunks.get(8).end();
        Files.write(file, Arrays.copyOf(damaged, upTo));
        List<Event> seen = new ArrayList<>();
        try (LogTail tail = LogTail.open(file, seen::add)) {
            tail.poll();
            Damage d = tail.result().damage();
            assertEquals(bad.end() - bad.start(), d.bytesSkipped(), d.toString());
            assertEquals(1, d.damagedRegions());
            assertEquals(-1, d.truncatedAt());
            assertEquals(TestLogs.read(Arrays.copyOf(damaged, upTo)).events(), seen);
            append(file, damaged, upTo, damaged.length);
            tail.poll();
            assertTrue(tail.closed());
            assertEquals(TestLogs.read(damaged).events(), seen);
            assertEquals(TestLogs.read(damaged).result().damage(), tail.result().damage());
        }
    }

    @Test
    void aFileThatIsNoLogIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not.stmlog");
        Files.writeString(file, "hello");
        try (LogTail tail = LogTail.open(file, e -> { })) {
            assertThrows(LogFormatException.class, tail::poll);
        }
    }
}
