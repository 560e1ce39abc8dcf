package dev.stmlog.format;

import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        while (events.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            events.clear();
            try (LogReader reader = LogReader.open(file)) {
                r = reader.read(events::add);
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
}
