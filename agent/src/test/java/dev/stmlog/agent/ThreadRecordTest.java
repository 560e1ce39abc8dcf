package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recording seam on its own: what a thread's calls write, read back with log-format. */
class ThreadRecordTest {
    @TempDir
    Path dir;

    private interface Script {
        void run(LogWriter log, ThreadRecord rec);
    }

    /** The events (but the thread's name) that {@code script} writes through a fresh log. */
    private List<Event> record(Script script) throws IOException {
        Path file = dir.resolve("t.stmlog");
        LogWriter log = LogWriter.open(file, Metadata.ofThisJvm(0, Map.of()));
        ThreadRecord rec = new ThreadRecord(log, log.forCurrentThread(), Thread.currentThread());
        script.run(log, rec);
        rec.writeBatchAtClose(log);
        log.close();
        return new RecordedLog(file).events.stream().filter(e -> !(e instanceof ThreadStart)).toList();
    }

    @Test
    void quietAttemptsAreOnlyCounted() throws IOException {
        List<Event> events = record((log, rec) -> {
            for (int i = 0; i < 100; i++) {
                rec.attemptStarted(System.nanoTime());
                rec.committed(System.nanoTime());
            }
        });
        RecordedLog counted = new RecordedLog(dir.resolve("t.stmlog"));
        assertEquals(100, counted.committed());
        assertFalse(events.stream().anyMatch(e -> e instanceof TxStart), events.toString());
    }

    @Test
    void aConflictWritesItsAttemptFromItsStart() throws IOException {
        long[] start = new long[1];
        List<Event> events = record((log, rec) -> {
            start[0] = System.nanoTime();
            rec.attemptStarted(start[0]);
            rec.lost(System.nanoTime(), ContentionKind.WRITE_READ, null, 0, -1, 0, StackStyle.JAVA);
            rec.aborted(System.nanoTime(), AbortCause.CONFLICT);
        });
        assertEquals(3, events.size(), events.toString());
        assertInstanceOf(TxStart.class, events.get(0));
        Contention c = assertInstanceOf(Contention.class, events.get(1));
        assertEquals(ContentionKind.WRITE_READ, c.kind());
        assertTrue(c.victimAtEntry(), "no object: the victim is where the transaction ran");
        assertFalse(c.victimStack().isEmpty());
        assertEquals(AbortCause.CONFLICT, assertInstanceOf(TxAbort.class, events.get(2)).cause());
        assertTrue(events.get(0).time() <= c.time());
    }

    @Test
    void aConflictMetAtCommitIsCompletedByTheRerunsWrite() throws IOException {
        Object ref = new Object();
        RefInfo[] info = new RefInfo[1];
        List<Event> events = record((log, rec) -> {
            info[0] = ContendedRefs.contended(ref, r -> null);
            rec.attemptStarted(System.nanoTime());
            rec.lost(System.nanoTime(), ContentionKind.WRITE_WRITE, info[0], 0, -1, 0, StackStyle.JAVA);
            rec.aborted(System.nanoTime(), AbortCause.CONFLICT);
            rec.attemptStarted(System.nanoTime());
            rec.access(new Object(), AccessKind.WRITE, StackStyle.JAVA); // another object: not it
            rec.access(ref, AccessKind.WRITE, StackStyle.JAVA);
            rec.committed(System.nanoTime());
        });
        Contention c = events.stream().filter(e -> e instanceof Contention).map(e -> (Contention) e).findFirst().orElseThrow();
        assertTrue(c.victimStack().isEmpty(), "victim unknown at the conflict");
        assertEquals(info[0].id(), c.ref());
        List<AccessSite> sites = events.stream().filter(e -> e instanceof AccessSite).map(e -> (AccessSite) e).toList();
        assertEquals(1, sites.size(), events.toString());
        assertEquals(info[0].id(), sites.get(0).ref());
        assertEquals(AccessKind.WRITE, sites.get(0).access());
        assertFalse(sites.get(0).stack().isEmpty());
    }
}
