package dev.stmlog.analyzer.cli;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.stmlog.analyzer.TestLog.MS;
import static dev.stmlog.analyzer.TestLog.S;
import static dev.stmlog.analyzer.TestLog.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stmlog watch} in this JVM on a log that a thread of the test writes step by step with
 * the real writer (flushing every 10 ms): the conflicts appear as they are flushed, the watch ends
 * at the trailer. Each step waits for what the watch shows, with a generous timeout: nothing
 * depends on how fast anything runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchCommandTest {
    static final Frame A = frame("com.example.Bank", "transfer", "Bank.java", 42);
    static final Frame A_OTHER = frame("com.example.Bank", "deposit", "Bank.java", 57);
    static final Frame B = frame("com.example.Index", "rebuild", "Index.java", 99);
    static final Frame B_OTHER = frame("com.example.Index", "insert", "Index.java", 12);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /**
     * Output that another thread can read while the watch writes it; each flush (the watch's
     * writers flush every line) wakes {@link #await}.
     */
    private static final class Captured {
        final StringWriter out = new Signalling();
        final StringWriter err = new Signalling();

        /** A StringWriter whose flush notifies the waiters on {@link Captured#CHANGED}. */
        private static final class Signalling extends StringWriter {
            @Override
            public void flush() {
                synchronized (CHANGED) {
                    CHANGED.notifyAll();
                }
            }
        }

        String out() {
            synchronized (out.getBuffer()) {
                return out.toString();
            }
        }

        String err() {
            synchronized (err.getBuffer()) {
                return err.toString();
            }
        }
    }

    /** What {@link #await} waits on: notified at each flush of a {@link Captured}'s writers. */
    private static final Object CHANGED = new Object();

    private static Future<Integer> watch(ExecutorService pool, Captured c, String... args) {
        return pool.submit(() -> Stmlog.run(Environment.plain(Map.of()), new PrintWriter(c.out, true),
                new PrintWriter(c.err, true), args));
    }

    private static void await(Supplier<Boolean> condition, String what, Captured c) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        synchronized (CHANGED) {
            // checked under the monitor that every flush takes to notify: no wake-up is missed
            while (!condition.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "\nstdout:\n" + c.out() + "\nstderr:\n" + c.err());
                }
                TimeUnit.NANOSECONDS.timedWait(CHANGED, left);
            }
        }
    }

    private static Metadata metadata() {
        // this process's pid: the watch takes the writer for alive
        return new Metadata(ProcessHandle.current().pid(), "java WatchCommandTest", "OpenJDK 17", 2, 2,
                1_700_000_000_000_000_000L, 0, Map.of());
    }

    private static WriterOptions options() {
        return WriterOptions.defaults().withCloseOnShutdown(false).withBufferSize(16 << 10)
                .withFlushIntervalNanos(10 * MS).withWarnings(w -> { });
    }

    /** An attempt of {@code thread} that aborts on a write-write conflict at {@code victim} after {@code lost} ns, then commits. */
    private static void conflict(ThreadWriter w, long thread, long at, Frame victim, Frame other, long lost) {
        w.write(new TxStart(at, thread));
        w.write(new Contention(at + lost - 1, thread, ContentionKind.WRITE_WRITE, 3 - thread, new Stack(List.of(victim)),
                new Stack(List.of(other)), Stack.EMPTY, "ref-" + victim.method(), thread, false));
        w.write(new TxAbort(at + lost, thread, AbortCause.CONFLICT));
        w.write(new TxStart(at + lost + 1, thread));
        w.write(new TxCommit(at + lost + 2 * MS, thread));
    }

    @Test
    void showsEachConflictOnceFlushedAndEndsWhenTheLogIsClosed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("live.stmlog");
        Captured c = new Captured();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // started before the log exists: it waits for it
            Future<Integer> status = watch(pool, c, "watch", "--no-tty", "--interval", "100ms", "--timeout", "100s",
                    file.toString());
            await(() -> c.err().contains("waiting for " + file), "the waiting line", c);
            LogWriter log = LogWriter.open(file, metadata(), options());
            ThreadWriter t1 = log.forThread(1);
            t1.write(new ThreadStart(0, 1, "alpha"));
            conflict(t1, 1, 1 * S, A, A_OTHER, 5 * MS);
            await(() -> c.out().contains(A.toString()), "conflict A in the watch", c);
            String beforeB = c.out();
            assertFalse(beforeB.contains(B.toString()), beforeB);
            assertFalse(status.isDone(), "the watch goes on while the log is open");

            ThreadWriter t2 = log.forThread(2);
            t2.write(new ThreadStart(0, 2, "beta"));
            conflict(t2, 2, 2 * S, B, B_OTHER, 20 * MS);
            log.close();
            assertEquals(0, status.get(60, TimeUnit.SECONDS), c.err());

            String out = c.out();
            assertFalse(out.contains("\u001b"), "no escape codes with --no-tty");
            assertTrue(out.indexOf(A.toString()) < out.indexOf(B.toString()), out);
            String last = out.substring(out.lastIndexOf("stmlog watch "));
            assertTrue(last.startsWith("stmlog watch " + file), last);
            assertTrue(last.lines().findFirst().orElseThrow().contains("closed: "), last);
            assertTrue(last.contains(A.toString()) && last.contains(B.toString()), last);
            // B lost more: it ranks first in the final table, as top ranks it
            assertTrue(last.indexOf(B.toString()) < last.indexOf(A.toString()), last);
            assertTrue(last.contains("conflicts/s"), last);
            Cli.Result top = Cli.run("top", file.toString());
            assertEquals(0, top.status());
            assertTrue(last.contains(top.out().substring(top.out().indexOf("Top "))), "the final table is top's:\n" + last
                    + "\ntop:\n" + top.out());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedLogGivesOneFinalTable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("closed.stmlog");
        try (LogWriter log = LogWriter.open(file, metadata(), options())) {
            conflict(log.forThread(1), 1, S, A, A_OTHER, 5 * MS);
        }
        Cli.Result r = Cli.run("watch", file.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.out().split("stmlog watch ", -1).length - 1, r.out());
        assertTrue(r.out().contains(A.toString()), r.out());
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("closed"), r.out());
    }

    @Test
    void onATerminalTheBlockIsRedrawnInPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("closed.stmlog");
        try (LogWriter log = LogWriter.open(file, metadata(), options())) {
            conflict(log.forThread(1), 1, S, A, A_OTHER, 5 * MS);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment terminal = new Environment(Map.of("NO_COLOR", "1", "LINES", "12"), true, false);
        assertEquals(0, Stmlog.run(terminal, new PrintWriter(out), new PrintWriter(err), "watch", file.toString()), err.toString());
        String o = out.toString();
        assertTrue(o.startsWith("\u001b[Hstmlog watch " + file), o);
        assertTrue(o.contains("\u001b[K\n") && o.contains("\u001b[J"), o);
        assertEquals(11, o.split("\u001b\\[K\n", -1).length - 1, "cut to the terminal's height less a line: " + o);
        assertFalse(o.contains("\u001b[1m"), "NO_COLOR: " + o);
        // --no-tty: plain even on a terminal
        out.getBuffer().setLength(0);
        assertEquals(0, Stmlog.run(terminal, new PrintWriter(out), new PrintWriter(err), "watch", "--no-tty", file.toString()));
        assertFalse(out.toString().contains("\u001b"), out.toString());
        assertTrue(out.toString().contains(A.toString()), out.toString());
    }

    @Test
    void aDirectoryIsWatchedAsItsLogsAppear(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        try (LogWriter old = LogWriter.open(logs.resolve("a-old.stmlog"), metadata(), options())) {
            conflict(old.forThread(1), 1, S, A, A_OTHER, 5 * MS);
        }
        Captured c = new Captured();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = watch(pool, c, "watch", "--interval", "50ms", "--timeout", "100s", logs.toString());
            await(() -> c.out().contains(A.toString()), "the closed log's conflict", c);
            assertFalse(status.isDone(), "a directory's watch waits for a log being written");
            LogWriter log = LogWriter.open(logs.resolve("b-new.stmlog"), metadata(), options());
            await(() -> c.err().contains("watching " + logs.resolve("b-new.stmlog")), "the new log", c);
            conflict(log.forThread(1), 1, S, B, B_OTHER, 20 * MS);
            await(() -> c.out().contains(B.toString()), "the new log's conflict", c);
            assertFalse(status.isDone());
            log.close();
            assertEquals(0, status.get(60, TimeUnit.SECONDS), c.err());
            String last = c.out().substring(c.out().lastIndexOf("stmlog watch "));
            assertTrue(last.startsWith("stmlog watch " + logs + " (2 logs)"), last);
            assertTrue(last.contains(A.toString()) && last.contains(B.toString()), last);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLogThatNeverAppearsEndsAtTheTimeout(@TempDir Path dir) {
        Cli.Result r = Cli.run("watch", "--interval", "10ms", "--timeout", "50ms", dir.resolve("none.stmlog").toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("waiting for"), r.err());
        assertTrue(r.err().contains("no log appeared within 50.0 ms"), r.err());
    }

    @Test
    void aFileThatIsNoLogIsAnError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x.stmlog"), "not a log at all");
        Cli.Result r = Cli.run("watch", file.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("not a stmlog log"), r.err());
    }

    @Test
    void badUsage() {
        assertEquals(2, Cli.run("watch", "--interval", "1ms", "x.stmlog").status());
        assertEquals(2, Cli.run("watch", "--format", "json", "x.stmlog").status());
        assertEquals(2, Cli.run("watch").status());
    }
}
