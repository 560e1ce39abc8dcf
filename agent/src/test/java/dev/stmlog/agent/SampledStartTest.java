package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.TxStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An attempt started with no time and none told by its STM (ScalaSTM's first attempts): its
 * TX_START, when something is recorded in it, is the ticker's estimate of its start. The ticker's
 * samples are given by hand here (no ticker runs), so the bounds are exact.
 */
class SampledStartTest {
    private static final long TICKS = 4_000_000; // the time the "ticker" saw the attempt

    @TempDir
    Path dir;

    @Test
    void itStartsAsLongBeforeItsFirstRecordAsTheTickerSawIt() throws IOException {
        long[] around = new long[2];
        List<Event> events = record(rec -> {
            // A thread's records never go back in time (an earlier one is written as equal to
            // the one before): its first record, where its log began, must be over 4 ms ago.
            long began = System.nanoTime();
            while (System.nanoTime() - began <= TICKS) Thread.onSpinWait();
            rec.attemptStarted(0);
            rec.sample(3_000_000);
            rec.sample(1_000_000);
            around[0] = System.nanoTime();
            rec.lost(around[0], ContentionKind.WRITE_READ, null, 0, -1, 0, StackStyle.JAVA);
            around[1] = System.nanoTime();
            rec.aborted(System.nanoTime(), AbortCause.CONFLICT);
        });
        long start = first(events, TxStart.class).time();
        long conflict = first(events, Contention.class).time();
        // the estimate is read between the conflict's time and the end of lost(): 4 ms before then
        assertTrue(conflict - start <= TICKS, () -> "started " + (conflict - start) + " ns before its conflict");
        assertTrue(conflict - start >= TICKS - (around[1] - around[0]),
                () -> "started " + (conflict - start) + " ns before its conflict");
    }

    @Test
    void unseenByTheTickerItStartsAtItsFirstRecord() throws IOException {
        List<Event> events = record(rec -> {
            rec.attemptStarted(0);
            rec.lost(System.nanoTime(), ContentionKind.WRITE_READ, null, 0, -1, 0, StackStyle.JAVA);
            rec.aborted(System.nanoTime(), AbortCause.CONFLICT);
        });
        // read after the conflict's time: the log keeps the thread's order, so they are equal
        assertTrue(first(events, TxStart.class).time() == first(events, Contention.class).time(), events::toString);
    }

    private interface Script {
        void run(ThreadRecord rec);
    }

    private List<Event> record(Script script) throws IOException {
        Path file = dir.resolve("t.stmlog");
        LogWriter log = LogWriter.open(file, Metadata.ofThisJvm(0, Map.of()));
        ThreadRecord rec = new ThreadRecord(log, log.forCurrentThread(), Thread.currentThread());
        script.run(rec);
        log.close();
        return new RecordedLog(file).events;
    }

    private static <T extends Event> T first(List<Event> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + events));
    }
}
