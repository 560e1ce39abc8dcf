package dev.stmlog.format;

import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.UserMark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentWriteTest {
    private static final int THREADS = 8;
    private static final int EVENTS = 1_000_000;

    @Test
    void eightThreadsLoseNothingDuplicateNothingAndKeepTheirOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("concurrent.stmlog");
        List<String> warnings = new ArrayList<>();
        // A short flush interval makes the flusher take from buffers while their owners write.
        WriterOptions options = TestLogs.options(warnings).withBufferSize(64 << 10).withFlushIntervalNanos(5_000_000);
        LogWriter log = LogWriter.open(file, TestLogs.metadata(), options);
        int name = log.string("seq");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                ThreadWriter w = log.forCurrentThread();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < EVENTS; i++) {
                    // The sequence number rides in the mark's value; starts and commits in between.
                    long now = System.nanoTime();
                    w.txStart(now);
                    w.mark(now, name, i);
                    w.txCommit(now);
                }
            }, "writer-" + t);
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) th.join();
        log.close();

        Map<Long, Long> next = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        long[] others = new long[1];
        ReadResult result;
        try (LogReader r = LogReader.open(file)) {
            result = r.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    if (e instanceof UserMark m) {
                        long expected = next.getOrDefault(m.thread(), 0L);
                        if (m.value() != expected) {
                            throw new AssertionError("thread " + m.thread() + ": got " + m.value() + ", expected " + expected + "; warnings: " + warnings);
                        }
                        next.put(m.thread(), expected + 1);
                    } else if (e instanceof ThreadStart s) {
                        names.put(s.thread(), s.name());
                    }
                }

                @Override
                public void txStart(long time, long thread) {
                    others[0]++;
                }

                @Override
                public void txCommit(long time, long thread) {
                    others[0]++;
                }
            });
        }
        assertEquals(THREADS, next.size());
        for (long count : next.values()) assertEquals(EVENTS, count);
        assertEquals(2L * THREADS * EVENTS, others[0]);
        for (Thread th : threads) assertEquals(th.getName(), names.get(th.getId()));
        assertTrue(result.cleanClose());
        assertFalse(result.damage().isDamaged(), result.damage().notes()::toString);
        assertEquals(0, result.damage().eventsLost());
        assertEquals(3L * THREADS * EVENTS + THREADS, result.trailer().eventsWritten());
        assertTrue(warnings.isEmpty(), warnings::toString);
    }
}
