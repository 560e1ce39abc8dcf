package dev.stmlog.analyzer.jfr;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.ValueChange;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader on recordings made in this JVM: events with the runtime's names and fields (the
 * runtime itself is tested end to end, with the real {@code jfr} tool, in the samples'
 * {@code JfrRecordingTest}), and a recording without any.
 */
@Timeout(60)
class JfrLogReaderTest {

    @TempDir
    Path dir;

    @Name("dev.stmlog.Conflict")
    @StackTrace(false)
    static final class Conflict extends jdk.jfr.Event {
        @Label("Kind") String kind;
        String refLabel;
        long refId;
        String victimFrames;
        boolean victimAtEntry;
        String otherFrames;
        long otherThreadId;
        String otherChange;
        @Timespan(Timespan.NANOSECONDS) long otherAttemptTime;
        @Timespan(Timespan.NANOSECONDS) long lostTime;
        int attempt;
    }

    @Name("dev.stmlog.Transaction")
    static final class Transaction extends jdk.jfr.Event {
        int attempts;
        int conflicts;
        boolean inevitable;
        String outcome;
        @Timespan(Timespan.NANOSECONDS) long lastAttempt;
    }

    private static final String VICTIM = "dev.example.App.lambda$transfer$0(App.java:42)\ndev.example.App.transfer(App.java:40)";
    private static final String OTHER = "dev.example.App.deposit(App.java:57)";

    private Path recordPlanted() throws Exception {
        Path file = dir.resolve("app.jfr");
        try (Recording r = new Recording()) {
            r.enable(Conflict.class);
            r.enable(Transaction.class);
            r.start();
            Thread t = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    Conflict c = new Conflict();
                    c.begin();
                    c.kind = "WRITE_READ";
                    c.refLabel = "account";
                    c.refId = 7;
                    c.victimFrames = VICTIM;
                    c.otherFrames = OTHER;
                    c.otherThreadId = 99;
                    // the first as the runtime writes an unidentified commit, then what it knew
                    c.otherChange = i == 0 ? "NOT_KNOWN" : i == 1 ? "UNCHANGED" : "CHANGED";
                    c.otherAttemptTime = i == 0 ? 0 : 2_000 * i;
                    c.lostTime = 1_000;
                    c.attempt = 1;
                    c.commit();
                }
                Transaction tx = new Transaction();
                tx.begin();
                tx.attempts = 4;
                tx.conflicts = 3;
                tx.outcome = "committed";
                tx.lastAttempt = 1;
                tx.commit();
            }, "worker-1");
            t.start();
            t.join();
            r.stop();
            r.dump(file);
        }
        return file;
    }

    @Test
    void conflictsBecomeAbortedAttemptsWithBothSides() throws Exception {
        Path file = recordPlanted();
        assertTrue(JfrLogReader.accepts(file));
        List<Event> events = new ArrayList<>();
        ReadResult result = JfrLogReader.read(file, events::add, w -> { });
        assertEquals("JFR", result.writerVersion());
        assertEquals("jfr", result.metadata().user().get("source"));
        ThreadStart start = assertInstanceOf(ThreadStart.class, events.get(0));
        assertEquals("worker-1", start.name());
        List<Event> rest = events.subList(1, events.size());
        assertEquals(3 * 3 + 1, rest.size(), events::toString);
        for (int i = 0; i < 3; i++) {
            TxStart s = assertInstanceOf(TxStart.class, rest.get(3 * i));
            Contention c = assertInstanceOf(Contention.class, rest.get(3 * i + 1));
            TxAbort a = assertInstanceOf(TxAbort.class, rest.get(3 * i + 2));
            assertEquals(start.thread(), c.thread());
            assertEquals(ContentionKind.WRITE_READ, c.kind());
            assertEquals(new Frame("dev.example.App", "lambda$transfer$0", "App.java", 42), c.victimStack().top());
            assertEquals(2, c.victimStack().frames().size());
            assertEquals(new Frame("dev.example.App", "deposit", "App.java", 57), c.otherStack().top());
            assertEquals("account", c.label());
            assertEquals(7, c.ref());
            assertEquals(99, c.otherThread());
            assertEquals(List.of(ValueChange.NOT_KNOWN, ValueChange.UNCHANGED, ValueChange.CHANGED).get(i), c.otherChange());
            assertEquals(i == 0 ? Contention.UNKNOWN_NANOS : 2_000L * i, c.otherNanos());
            assertEquals(1_000, a.time() - s.time(), "the lost time");
            assertEquals(AbortCause.CONFLICT, a.cause());
        }
        TxCommits commits = assertInstanceOf(TxCommits.class, rest.get(9));
        assertEquals(1, commits.count());
    }

    @Test
    void aRecordingWithoutStmlogEventsSaysSoInOneLine() throws Exception {
        Path file = dir.resolve("other.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.JVMInformation");
            r.start();
            r.stop();
            r.dump(file);
        }
        assertTrue(JfrLogReader.accepts(file));
        EventVisitor ignore = e -> { };
        NoStmlogEventsException e = assertThrows(NoStmlogEventsException.class, () -> JfrLogReader.read(file, ignore, w -> { }));
        assertEquals(file + ": a JFR recording without stmlog events", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void acceptsOnlyJfrMagic() throws IOException {
        Path text = Files.writeString(dir.resolve("a.txt"), "FLR");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path jfrLike = Files.write(dir.resolve("x.jfr"), new byte[] {'F', 'L', 'R', 0, 0, 2});
        assertFalse(JfrLogReader.accepts(text));
        assertFalse(JfrLogReader.accepts(empty));
        assertTrue(JfrLogReader.accepts(jfrLike));
        assertTrue(JfrLogReader.accepts(new byte[] {'F', 'L', 'R', 0, 1}));
        assertFalse(JfrLogReader.accepts(new byte[] {'F', 'L', 'R'}));
        assertFalse(JfrLogReader.accepts("STMLOG".getBytes()));
    }

    @Test
    void framesParseAsTheyPrint() {
        for (Frame f : List.of(new Frame("a.B", "m", "B.java", 3), new Frame("a.B$C", "lambda$x$0", null, -1),
                new Frame("B", "<init>", "B.java", -1))) {
            assertEquals(f, JfrLogReader.frame(f.toString()));
        }
        assertEquals(Stack.of(new Frame("a.B", "m", "B.java", 3), new Frame("a.C", "n", "C.java", 4)),
                JfrLogReader.parse("a.B.m(B.java:3)\na.C.n(C.java:4)\n"));
    }
}
