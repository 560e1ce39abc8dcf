package dev.stmlog.format;

import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer never throws into the application once open, and says so once. */
class WriterFailureTest {

    /** Accepts {@code limit} bytes, then fails as a full disk does. */
    private static final class FullDisk implements WritableByteChannel {
        private long left;
        private boolean open = true;

        FullDisk(long limit) {
            left = limit;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > left) throw new IOException("No space left on device");
            left -= src.remaining();
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void aFullDiskDisablesRecordingWithOneWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        LogWriter log = LogWriter.open(new FullDisk(100_000), "full.stmlog", TestLogs.metadata(), TestLogs.options(warnings));
        ThreadWriter w = log.forThread(1);
        long t = TestLogs.ORIGIN;
        for (int i = 0; i < 200_000; i++) {
            w.txStart(t += 10);
            w.txCommit(t += 10);
        }
        log.close();

        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("full.stmlog") && warnings.get(0).contains("No space left"), warnings.get(0));
        assertFalse(log.isRecording());
        WriteSummary s = log.summary();
        assertTrue(s.stopReason().startsWith("write failed"), s.stopReason());
        assertEquals(400_000, s.eventsWritten() + s.eventsLost());
        assertTrue(s.eventsLost() > 0);
    }

    @Test
    void anUnwritablePathFailsAtOpenNotLater(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        assertThrows(IOException.class, () -> LogWriter.open(blocker.resolve("log.stmlog"), TestLogs.metadata(),
                TestLogs.options(new ArrayList<>())));
    }

    @Test
    void theSizeCapStopsRecordingAndRecordsTheLoss(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("capped.stmlog");
        List<String> warnings = new ArrayList<>();
        long cap = 100_000;
        LogWriter log = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(warnings).withMaxBytes(cap));
        ThreadWriter w = log.forThread(1);
        long t = TestLogs.ORIGIN;
        int attempted = 0;
        for (int i = 0; i < 100_000; i++) {
            w.txStart(t += 10);
            w.txCommit(t += 10);
            attempted += 2;
        }
        log.close();

        assertTrue(Files.size(file) <= cap, "file size " + Files.size(file));
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("size cap"), warnings.get(0));

        List<Event> events = new ArrayList<>();
        ReadResult r;
        try (LogReader reader = LogReader.open(file)) {
            r = reader.read(events::add);
        }
        assertTrue(r.cleanClose(), "trailer written within the cap");
        long lost = events.stream().filter(e -> e instanceof DataLoss).mapToLong(e -> ((DataLoss) e).count()).sum();
        assertTrue(lost > 0);
        assertEquals(lost, r.damage().eventsLost());
        assertEquals(attempted, events.size() - 1 + lost, "every event either written or counted as lost");
    }

    @Test
    void aLogIsReadableWhileItsWriterIsStillRunning(@TempDir Path dir) throws Exception {
        // What a crash leaves: the file as of the flusher's last take, with no trailer.
        Path file = dir.resolve("running.stmlog");
        LogWriter log = LogWriter.open(file, TestLogs.metadata(),
                TestLogs.options(new ArrayList<>()).withFlushIntervalNanos(10_000_000));
        ThreadWriter w = log.forThread(1);
        w.txStart(TestLogs.ORIGIN + 100);
        w.txCommit(TestLogs.ORIGIN + 200);
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        ReadResult r = null;
        // Woken by each write of the flusher (the directory is watched before the first read,
        // so no write falls between a read and the wait), for 10 s at most.
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                events.clear();
                if (Files.exists(file)) {
                    try (LogReader reader = LogReader.open(file)) {
                        r = reader.read(events::add);
                    }
                }
                long left = deadline - System.nanoTime();
                if (events.size() >= 2 || left <= 0) break;
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        log.close();
        assertEquals(2, events.size());
        assertFalse(r.cleanClose());
        assertTrue(r.damage().notes().stream().anyMatch(n -> n.contains("no trailer")), r.damage().notes()::toString);
    }

    @Test
    void eventsAfterCloseGoNowhereAndDoNotThrow() throws Exception {
        List<String> warnings = new ArrayList<>();
        TestLogs.MemoryChannel ch = new TestLogs.MemoryChannel();
        LogWriter log = LogWriter.open(ch, "m", TestLogs.metadata(), TestLogs.options(warnings));
        ThreadWriter w = log.forThread(1);
        log.close();
        for (int i = 0; i < 100_000; i++) w.txStart(TestLogs.ORIGIN + i);
        log.close();
        assertTrue(warnings.isEmpty());
        assertTrue(TestLogs.read(ch.bytes.toByteArray()).result().cleanClose());
    }

    /** Accepts writes until {@link #stall()}; then a write blocks until {@link #release()}, as a hung disk. */
    private static final class StalledDisk implements WritableByteChannel {
        final TestLogs.MemoryChannel written = new TestLogs.MemoryChannel();
        final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean stalled;

        void stall() {
            stalled = true;
        }

        void release() {
            released.countDown();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (stalled) {
                blocked.countDown();
                try {
                    if (!released.await(120, TimeUnit.SECONDS)) throw new IOException("still stalled");
                } catch (InterruptedException e) {
                    throw new IOException("interrupted");
                }
            }
            return written.write(src);
        }

        @Override
        public boolean isOpen() {
            return written.isOpen();
        }

        @Override
        public void close() {
            written.close();
        }
    }

    @Test
    void aStalledDiskCannotHangClose() throws Exception {
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        StalledDisk disk = new StalledDisk();
        LogWriter log = LogWriter.open(disk, "stalled.stmlog", TestLogs.metadata(),
                TestLogs.options(warnings).withCloseTimeoutNanos(200_000_000L));
        disk.stall();
        ThreadWriter w = log.forThread(1);
        long t = TestLogs.ORIGIN;
        for (int i = 0; i < 10_000; i++) { // several 16 KiB buffers: the flusher takes the first
            w.txStart(t += 10);
            w.txCommit(t += 10);
        }
        assertTrue(disk.blocked.await(60, TimeUnit.SECONDS), "the flusher never reached the disk");

        Thread closer = new Thread(log::close, "closer");
        closer.start();
        closer.join(60_000);
        assertFalse(closer.isAlive(), "close still waits for a stalled disk");
        WriteSummary s = log.summary();
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("stmlog: stalled.stmlog: closing timed out after 200 ms")
                && warnings.get(0).contains("20000 events not written"), warnings.get(0));
        assertEquals(0, s.eventsWritten());
        assertEquals(20_000, s.eventsLost(), "the chunk being written, those queued and the buffer's");
        assertTrue(s.stopReason().startsWith("close timed out"), s.stopReason());
        assertFalse(log.isRecording());

        // The disk comes back: the flusher ends without a trailer or another warning.
        disk.release();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (disk.isOpen() && System.nanoTime() - deadline < 0) Thread.yield(); // bounded by the deadline
        assertFalse(disk.isOpen(), "the flusher closes the file when the disk returns");
        assertEquals(1, warnings.size(), warnings::toString);
        assertSame(s, log.summary());
        assertFalse(TestLogs.read(disk.written.bytes.toByteArray()).result().cleanClose());
    }

    @Test
    void anInterruptedThreadOpensTheLogAndKeepsItsInterrupt(@TempDir Path dir) throws Exception {
        // A FileChannel written by an interrupted thread closes itself: this left an empty log.
        Path file = dir.resolve("interrupted.stmlog");
        Thread.currentThread().interrupt();
        LogWriter log;
        try {
            log = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(new ArrayList<>()));
        } finally {
            assertTrue(Thread.interrupted(), "the caller's interrupt status is restored (and cleared here)");
        }
        ThreadWriter w = log.forThread(1);
        w.txStart(TestLogs.ORIGIN + 100);
        w.txCommit(TestLogs.ORIGIN + 200);
        log.close();
        TestLogs.Read read = TestLogs.read(Files.readAllBytes(file));
        assertTrue(read.result().cleanClose());
        assertEquals(2, read.events().size());
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsClass() {
        WritableByteChannel closed = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                throw new ClosedChannelException(); // no message, as ClosedByInterruptException
            }

            @Override
            public boolean isOpen() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        IOException e = assertThrows(IOException.class, () -> LogWriter.open(closed, "x.stmlog", TestLogs.metadata(),
                TestLogs.options(new ArrayList<>())));
        assertEquals("ClosedChannelException", e.getMessage());
    }

    @Test
    void aLogBeingRecordedIsNotSharedButGoesToASibling(@TempDir Path dir) throws Exception {
        // Within one JVM the lock shows as OverlappingFileLockException; across processes as
        // tryLock's null (the runtime's TwoProcessesOneLogTest).
        Path file = dir.resolve("app.stmlog");
        List<String> warnings = new ArrayList<>();
        LogWriter first = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(warnings));
        LogWriter second = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(warnings));
        LogWriter third = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(warnings));
        first.forThread(1).mark(TestLogs.ORIGIN + 1, first.string("first"), 1);
        second.forThread(1).mark(TestLogs.ORIGIN + 1, second.string("second"), 2);
        third.forThread(1).mark(TestLogs.ORIGIN + 1, third.string("third"), 3);
        first.close();
        second.close();
        third.close();

        assertEquals(List.of(
                "stmlog: " + file + " is being recorded by another process; recording to " + dir.resolve("app-4242.stmlog") + " instead",
                "stmlog: " + file + " is being recorded by another process; recording to " + dir.resolve("app-4242-2.stmlog") + " instead"),
                warnings);
        assertEquals(dir.resolve("app-4242.stmlog").toString(), second.summary().name());
        int value = 1;
        for (String name : List.of("app.stmlog", "app-4242.stmlog", "app-4242-2.stmlog")) {
            TestLogs.Read read = TestLogs.read(Files.readAllBytes(dir.resolve(name)));
            assertTrue(read.result().cleanClose(), name);
            assertEquals(1, read.events().size(), name);
            assertEquals(value++, ((dev.stmlog.format.event.UserMark) read.events().get(0)).value(), name);
        }
        // Closed, the file is free again, and taken (emptied) by the next writer.
        LogWriter again = LogWriter.open(file, TestLogs.metadata(), TestLogs.options(warnings));
        again.close();
        assertEquals(2, warnings.size(), warnings::toString);
        assertTrue(TestLogs.read(Files.readAllBytes(file)).events().isEmpty());
    }

    @Test
    void siblingsKeepTheExtension() {
        assertEquals(Path.of("d", "app-7.stmlog"), LogWriter.sibling(Path.of("d", "app.stmlog"), 7, 1));
        assertEquals(Path.of("d", "app-7-3.stmlog"), LogWriter.sibling(Path.of("d", "app.stmlog"), 7, 3));
        assertEquals(Path.of("log-7"), LogWriter.sibling(Path.of("log"), 7, 1));
        assertEquals(Path.of(".hidden-7"), LogWriter.sibling(Path.of(".hidden"), 7, 1));
    }
}
