package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PypyReport;
import dev.stmlog.analyzer.pypy.script.PypyConflict;
import dev.stmlog.analyzer.pypy.script.PrintStmLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every quirk of analyzer/docs/pypy-compatibility.md#quirks, in strict mode (the script's
 * behaviour, crash included) and in the default mode (warn and go on), plus the errors of #errors.
 */
class QuirksTest {
    static final int START = 0, COMMIT = 1, ABORT = 2, DETACH = 3, REATTACH = 4, BECOME_INEVITABLE = 5,
            WRITE_READ = 6, WAIT_FREE_SEGMENT = 7, WAIT_SYNC_PAUSE = 9, WAIT_OTHER_INEVITABLE = 10, WAIT_DONE = 11;
    static final String M = "File \"x.py\", line 1, in f (#1)";
    static final String M2 = "File \"y.py\", line 2, in g (#3)";
    static final String SUMMARY_HEAD = "\nTotal real time:     ";

    @TempDir
    Path dir;

    private Path log(PypyLogBuilder b) throws Exception {
        return b.write(dir.resolve("q.stmlog"));
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    private static boolean warned(Runs r, String fragment) {
        return r.warnings().stream().anyMatch(w -> w.contains(fragment));
    }

    @Test
    void q1StartWhileRunning() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, START).at(20, 1, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertEquals("AssertionError", s.error());
        assertEquals("", s.out());
        assertEquals("", s.err()); // no final line feed: the pass did not finish
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertEquals("CPU time in STM mode:    0.010s ( 50%) committed", line(l.out(), "CPU time"));
        assertEquals(1, l.result().report().nTransactions()); // the unfinished one was dropped
        assertTrue(warned(l, "START of thread 1 at byte 30"));
    }

    @Test
    void q2CommitAfterWriteRead() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, WRITE_READ, M).at(20, 1, COMMIT));
        assertEquals("AssertionError", Runs.strict(log, dir).error());
        Runs l = Runs.lenient(log, dir);
        assertEquals(1, l.result().report().nCommitted());
        assertEquals(0.01, l.result().report().conflicts().get(0).aborted(), 1e-9);
        assertTrue(warned(l, "COMMIT of thread 1"));
    }

    @Test
    void q3WriteReadOutsideATransaction() throws Exception {
        // strict, followed by an ABORT: the script does not fail, and charges the previous
        // transaction's run time again
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, COMMIT).at(20, 1, WRITE_READ, M)
                .at(30, 1, ABORT).at(40, 2, START).at(50, 2, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertNull(s.error());
        PypyConflict c = s.result().report().conflicts().get(0);
        assertEquals(0.01, c.aborted(), 1e-9);
        Runs l = Runs.lenient(log, dir);
        PypyConflict lc = l.result().report().conflicts().get(0);
        assertEquals(1, lc.count());
        assertEquals(0.0, lc.aborted());
        assertTrue(warned(l, "outside a transaction"));
        // strict, followed by a START: the script fails (Q1 through Q3)
        Path log2 = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, COMMIT).at(20, 1, WRITE_READ, M)
                .at(30, 1, START).at(40, 1, COMMIT));
        assertEquals("AssertionError", Runs.strict(log2, dir).error());
        Runs l2 = Runs.lenient(log2, dir);
        assertNull(l2.error());
        assertEquals(2, l2.result().report().nCommitted());
        assertFalse(warned(l2, "START of thread")); // the state stayed "stop"
    }

    @Test
    void q4DoubleWriteReadIsANote() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, WRITE_READ, M).at(15, 1, WRITE_READ, M2)
                .at(20, 1, ABORT).at(25, 2, START).at(30, 2, COMMIT));
        for (boolean strict : new boolean[] {true, false}) {
            Runs r = Runs.run(log, dir, strict, 15);
            assertEquals("note: double STM_CONTENTION_WRITE_READ\n\n", r.err());
            assertEquals(1, r.result().report().conflicts().size()); // the second is ignored
            assertEquals(1, r.result().report().doubleWriteReads());
        }
    }

    @Test
    void q5ReattachBecomesTheInevitableKey() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(1, 2, START).at(2, 1, DETACH).at(3, 1, REATTACH)
                .at(4, 1, WAIT_OTHER_INEVITABLE).at(9, 1, WAIT_DONE).at(10, 1, COMMIT).at(12, 2, COMMIT));
        for (boolean strict : new boolean[] {true, false}) {
            String out = Runs.run(log, dir, strict, null).out();
            assertTrue(out.contains("0.000s lost in aborts, 0.005s paused (1x STM_TRANSACTION_REATTACH)\n  \ntime line: |"),
                    out);
        }
    }

    @Test
    void q6FreeSegmentWaitIsNotCounted() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, WAIT_FREE_SEGMENT).at(5, 1, WAIT_DONE).at(5, 1, START)
                .at(10, 1, COMMIT));
        PypyReport r = Runs.strict(log, dir).result().report();
        assertEquals(0.0, r.paused());
        assertEquals(0.005, r.committed(), 1e-9);
    }

    @Test
    void q7DetachedTimeIsNotCounted() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(2, 1, DETACH).at(8, 1, REATTACH).at(10, 1, COMMIT));
        PypyReport r = Runs.strict(log, dir).result().report();
        assertEquals(0.004, r.committed(), 1e-9);
        assertEquals(0.0, r.paused());
    }

    @Test
    void q8WaitOutsideATransactionThenStart() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(1, 1, COMMIT).at(2, 1, WAIT_SYNC_PAUSE)
                .at(3, 1, WAIT_DONE).at(4, 1, START).at(5, 1, COMMIT));
        assertEquals("AssertionError", Runs.strict(log, dir).error());
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertEquals(2, l.result().report().nCommitted());
        assertTrue(warned(l, "START of thread 1"));
    }

    @Test
    void q9DecreasingTimestamps() throws Exception {
        Path log = log(PypyLogBuilder.c8().rec(1000, 0, 1, START).rec(1000, 20_000_000, 1, COMMIT)
                .rec(1000, 10_000_000, 2, START).rec(1000, 30_000_000, 2, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertEquals("ValueError: decreasing timestamps: 1000.020000000 -> 1000.010000000", s.error());
        assertEquals("", s.out());
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertEquals(0.03, l.result().report().totalTime(), 1e-9);
        assertEquals(0.02 + 0.01, l.result().report().committed(), 1e-9); // thread 2 started at the clamped time
        assertTrue(warned(l, "decreasing timestamps at byte 44"));
    }

    @Test
    void q10CodeOutOfRange() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, COMMIT).at(11, 1, 16).at(12, 1, START)
                .at(20, 1, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertEquals("ValueError: the file 'q.stmlog' appears corrupted", s.error());
        assertEquals("", s.out());
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertEquals(2, l.result().report().records()); // stopped at the bad record
        assertTrue(warned(l, "event code 16 at byte 44"));
        // C7's limit is 15
        Path c7 = log(PypyLogBuilder.c7().at7(0, 1, 0, 0, null, null).at7(5, 1, 0, 15, null, null));
        assertEquals("ValueError: the file 'q.stmlog' appears corrupted", Runs.strict(c7, dir).error());
    }

    @Test
    void q11PartialFixedPartIsIgnored() throws Exception {
        PypyLogBuilder b = PypyLogBuilder.c8().at(0, 1, START).at(10, 1, WRITE_READ, M).at(15, 1, ABORT)
                .at(16, 2, START).at(20, 2, COMMIT);
        String whole = Runs.strict(log(b), dir).out();
        Path cut = log(b.raw(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
        for (boolean strict : new boolean[] {true, false}) {
            Runs r = Runs.run(cut, dir, strict, null);
            assertEquals(whole, r.out());
            assertEquals("\n", r.err());
            assertTrue(r.result().warnings().isEmpty());
            assertTrue(r.result().notes().get(0).contains("13 bytes at byte"), r.result().notes().toString());
        }
    }

    @Test
    void q12CutMarkerIsKept() throws Exception {
        byte[] whole = PypyLogBuilder.c8().at(0, 1, START).at(1, 2, START).at(10, 1, WRITE_READ, M).at(15, 1, ABORT)
                .at(20, 2, COMMIT).at(30, 2, BECOME_INEVITABLE, M2).bytes();
        Path cut = dir.resolve("cut.stmlog");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 5)); // "(#3)" and a bit are gone
        Runs r = Runs.strict(cut, dir);
        assertNull(r.error());
        assertEquals(6, r.result().report().records());
        assertEquals(0.030, r.result().report().totalTime(), 1e-9); // the cut record's time is the end
        assertTrue(r.result().notes().get(0).contains("ends inside the marker"));
        // C7: a short marker 1 leaves marker 2 empty
        byte[] c7 = PypyLogBuilder.c7().at7(0, 1, 0, 0, null, null).at7(5, 1, 2, 3, "abcdef", "ghi").bytes();
        Path cut7 = dir.resolve("cut7.stmlog");
        Files.write(cut7, java.util.Arrays.copyOf(c7, c7.length - 5));
        PypyConflict c = Runs.lenient(cut7, dir).result().report().conflicts().get(0); // strict: idx 48
        assertEquals("abcd", new String(c.marker1()));
        assertEquals(0, c.marker2().length);
    }

    @Test
    void q13NoRealTime() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(0, 1, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertEquals("ZeroDivisionError: float division by zero", s.error());
        assertEquals(SUMMARY_HEAD + "    0.000s\n", s.out());
        assertEquals("\n", s.err());
        Runs l = Runs.lenient(log, dir);
        assertEquals("CPU time in STM mode:    0.000s ( n/a) committed", line(l.out(), "CPU time"));
        assertTrue(warned(l, "n/a"));
        // C7
        Path c7 = log(PypyLogBuilder.c7().at7(0, 1, 0, 0, null, null).at7(0, 1, 0, 1, null, null));
        Runs s7 = Runs.strict(c7, dir);
        assertEquals("ZeroDivisionError: float division by zero", s7.error());
        assertEquals("\nTotal real time:             0.000s\n", s7.out());
        assertEquals("Total CPU time in STM mode:  0.000s (n/a)", line(Runs.lenient(c7, dir).out(), "Total CPU"));
    }

    @Test
    void q14NoCpuTime() throws Exception {
        // no finished transaction: the transactions line fails on its percentages
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 2, START));
        Runs s = Runs.strict(log, dir);
        assertEquals("ZeroDivisionError: float division by zero", s.error());
        assertEquals(8, s.out().lines().count());
        Runs l = Runs.lenient(log, dir);
        assertEquals("Total number of transactions:      0 committed:  n/a aborted:  n/a", line(l.out(), "Total number"));
        assertEquals("     transactions per second:    n/a", line(l.out(), "     transactions per"));
        // only zero-length transactions: the transactions line prints, transactions per second fails
        Path zero = log(PypyLogBuilder.c8().at(0, 1, START).at(0, 1, COMMIT).at(10, 2, START));
        Runs z = Runs.strict(zero, dir);
        assertEquals("ZeroDivisionError: float division by zero", z.error());
        assertEquals(9, z.out().lines().count());
    }

    @Test
    void q15TimeLineIndex60() throws Exception {
        // a truncated log ending with a write-read: its time is the last time
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(1, 2, START).at(5, 2, WRITE_READ, M2).at(6, 2, ABORT)
                .at(10, 1, WRITE_READ, M));
        Runs s = Runs.strict(log, dir);
        assertEquals("IndexError: list index out of range", s.error());
        assertTrue(s.out().endsWith("     transactions per second:    200\n\n"), s.out()); // nothing of the block
        Runs l = Runs.lenient(log, dir);
        assertTrue(l.out().contains("time line: |" + " ".repeat(59) + "X|"), l.out());
        assertTrue(warned(l, "last column"));
    }

    @Test
    void q16C7TimeLineOutsideItsRange() throws Exception {
        // a contention 101 ms before the first record (of a 200 ms log): idx -24 wraps to bucket 24
        Path log = log(PypyLogBuilder.c7().rec7(1000, 200_000_000, 1, 0, 0, null, null)
                .rec7(1000, 99_000_000, 2, 0, 3, "m", null)
                .rec7(1000, 400_000_000, 1, 0, 1, null, null));
        assertEquals("time line: " + ".".repeat(24) + "x" + ".".repeat(23), line(Runs.strict(log, dir).out(), "time line"));
        assertEquals("time line: x" + ".".repeat(47), line(Runs.lenient(log, dir).out(), "time line"));
        // a contention after the last record: idx 48 fails
        Path late = log(PypyLogBuilder.c7().rec7(1000, 0, 1, 0, 0, null, null)
                .rec7(1000, 300_000_000, 2, 0, 3, "m", null)
                .rec7(1000, 200_000_000, 1, 0, 1, null, null));
        Runs s = Runs.strict(late, dir);
        assertEquals("IndexError: list index out of range", s.error());
        assertTrue(s.out().endsWith("0.200s (100%)\n\n"), s.out());
        assertEquals("time line: " + ".".repeat(47) + "x", line(Runs.lenient(late, dir).out(), "time line"));
    }

    @Test
    void q17NulInAMarkersFileName() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(10, 1, WRITE_READ, "File \"a\u0000.py\", line 1, in f")
                .at(11, 1, ABORT).at(12, 2, START).at(20, 2, COMMIT));
        Runs s = Runs.strict(log, dir);
        assertEquals("TypeError: stat() argument 1 must be encoded string without null bytes, not str", s.error());
        assertTrue(s.out().endsWith("per second:    105\n\n"));
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertTrue(l.out().contains("  File \"a\u0000.py\", line 1, in f\ntime line: |"));
    }

    @Test
    void q19C7NegativeTransactionTime() throws Exception {
        Path log = log(PypyLogBuilder.c7().rec7(1000, 5000, 1, 0, 0, null, null).rec7(1000, 4000, 1, 0, 1, null, null)
                .rec7(1000, 9000, 2, 0, 0, null, null));
        Runs s = Runs.strict(log, dir);
        assertEquals("AssertionError", s.error());
        assertEquals("", s.out());
        Runs l = Runs.lenient(log, dir);
        assertNull(l.error());
        assertEquals(0.0, l.result().report().totalCpu());
        assertTrue(warned(l, "negative transaction time"));
    }

    @Test
    void q20C7PendingConflictSurvivesACommit() throws Exception {
        Path log = log(PypyLogBuilder.c7().at7(0, 1, 0, 0, null, null).at7(1, 2, 0, 0, null, null)
                .at7(5, 1, 2, 3, "m1", "m2").at7(6, 1, 0, 1, null, null).at7(7, 1, 0, 6, null, null)
                .at7(9, 2, 0, 2, null, null).at7(10, 1, 0, 0, null, null));
        PypyConflict c = Runs.strict(log, dir).result().report().conflicts().get(0);
        assertEquals(0.008 + 0.000001, c.aborted() + c.paused(), 1e-12); // thread 2's whole transaction
    }

    @Test
    void q21TiesGoToTheLaterCreated() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(0, 2, START).at(4, 1, WRITE_READ, M)
                .at(4, 2, WRITE_READ, M2).at(5, 1, ABORT).at(5, 2, ABORT).at(6, 3, START).at(8, 3, COMMIT));
        List<PypyConflict> cs = Runs.strict(log, dir).result().report().conflicts();
        assertEquals(cs.get(0).sortKey(), cs.get(1).sortKey());
        assertEquals(M2, new String(cs.get(0).marker1()));
        assertEquals(M, new String(cs.get(1).marker1()));
    }

    @Test
    void q22ThreadSumsInAscendingThreadOrder() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 7, START).at(1, 3, START).at(2, 5, START).at(3, 7, COMMIT)
                .at(4, 3, COMMIT).at(5, 5, COMMIT));
        List<PypyReport.ThreadFigures> t = Runs.strict(log, dir).result().report().threads();
        assertEquals(List.of(3L, 5L, 7L), t.stream().map(PypyReport.ThreadFigures::thread).toList());
    }

    @Test
    void q23OlderNumberingIsMisreadAndFlagged() throws Exception {
        // June 2015: BECOME_INEVITABLE = 3, WRITE_READ = 4 (final: DETACH, REATTACH, which have no marker)
        PypyLogBuilder june = PypyLogBuilder.c8().at(0, 1, START).at(1, 2, START).at(5, 1, 4, M).at(6, 1, ABORT)
                .at(7, 2, 3, M2).at(8, 2, COMMIT).at(9, 1, START).at(10, 1, COMMIT);
        Path log = log(june);
        Runs s = Runs.strict(log, dir);
        assertNull(s.error()); // misread silently, as the script does
        assertFalse(s.out().contains("STM_CONTENTION_WRITE_READ"));
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).contains("--pypy-events 2015-06"), s.warnings().toString());
        PrintStmLog.Options o = PrintStmLog.Options.defaults().withNumbering(C8Numbering.JUNE_2015)
                .withSourceRoots(List.of(dir)).withStrict(true);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStmLog.Result r = PrintStmLog.run(log, "q.stmlog", o, new java.io.PrintStream(out),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        assertTrue(out.toString().contains("0.005s lost in aborts, 0.000s paused (1x STM_CONTENTION_WRITE_READ)"),
                out.toString());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        // March 2015: WRITE_READ = 3, BECOME_INEVITABLE = 4; told from June by what precedes an ABORT
        Path march = log(PypyLogBuilder.c8().at(0, 1, START).at(5, 1, 3, M).at(6, 1, ABORT).at(7, 1, START)
                .at(8, 1, COMMIT));
        assertTrue(Runs.strict(march, dir).warnings().get(0).contains("--pypy-events 2015-03"));
        // a June 2015 code 13 (GC_MAJOR_DONE) is "corrupted" under March 2015
        Path major = log(PypyLogBuilder.c8().at(0, 1, START).at(1, 1, 13).at(2, 1, COMMIT));
        org.junit.jupiter.api.Assertions.assertThrows(PypyCompatException.class, () -> PrintStmLog.run(major,
                "q", PrintStmLog.Options.defaults().withNumbering(C8Numbering.MARCH_2015).withStrict(true),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream())));
    }

    @Test
    void q24InevitableWaitIsChargedTwice() throws Exception {
        Path log = log(PypyLogBuilder.c8().at(0, 1, START).at(1, 1, BECOME_INEVITABLE, M2)
                .at(2, 1, WAIT_OTHER_INEVITABLE).at(6, 1, WAIT_DONE).at(8, 1, WRITE_READ, M).at(9, 1, ABORT)
                .at(10, 2, START).at(12, 2, COMMIT));
        List<PypyConflict> cs = Runs.strict(log, dir).result().report().conflicts();
        assertEquals(0.004, cs.stream().filter(c -> c.code() == 5).findFirst().orElseThrow().paused(), 1e-9);
        assertEquals(0.004, cs.stream().filter(c -> c.code() == 6).findFirst().orElseThrow().paused(), 1e-9);
    }

    @Test
    void q25EmptyFiles() throws Exception {
        for (byte[] tail : new byte[][] {{}, new byte[13]}) {
            Path log = log(PypyLogBuilder.c8().raw(tail));
            for (boolean strict : new boolean[] {true, false}) {
                Runs r = Runs.run(log, dir, strict, null);
                assertEquals("Exception: empty file", r.error());
                assertEquals("", r.out());
                assertEquals("", r.err());
            }
        }
    }

    @Test
    void wrongFormatAndMissingFiles() throws Exception {
        Path c7 = log(PypyLogBuilder.c7());
        Files.write(c7, "STMGC-C9-PROF01\nxxxxxxxxxxxxxxxxxxxxxxxxx".getBytes());
        assertEquals("ValueError: wrong format in file 'q.stmlog'", Runs.strict(c7, dir).error());
        Files.write(c7, "STMGC-C8".getBytes());
        assertEquals("ValueError: wrong format in file 'q.stmlog'", Runs.lenient(c7, dir).error());
        Runs missing = Runs.strict(dir.resolve("it's.stmlog"), dir);
        assertEquals("IOError: [Errno 2] No such file or directory: \"it's.stmlog\"", missing.error());
    }

    @Test
    void maxcountSliceSemantics() throws Exception {
        PypyLogBuilder b = PypyLogBuilder.c8();
        for (int i = 1; i <= 4; i++) {
            b.at(i * 10, i, START).at(i * 10 + i, i, WRITE_READ, "File \"s" + i + ".py\", line 1, in f").at(i * 10 + 5, i, ABORT);
        }
        Path log = log(b.at(100, 9, START).at(101, 9, COMMIT));
        assertEquals(0, count(Runs.run(log, dir, true, 0).out()));
        assertEquals(3, count(Runs.run(log, dir, true, -1).out()));
        assertEquals(0, count(Runs.run(log, dir, true, -7).out()));
        assertEquals(4, count(Runs.run(log, dir, true, 100).out()));
        assertEquals(4, count(Runs.run(log, dir, true, null).out()));
    }

    private static long count(String out) {
        return out.lines().filter(l -> l.contains("lost in aborts")).count();
    }

    @Test
    void progressItemsAndSoftSpaces() throws Exception {
        // 2 x 524288 + 1 records: progress before records 524288 and 1048576, a note after the first
        PypyLogBuilder b = PypyLogBuilder.c8();
        long n = 0;
        int i = 0;
        while (n < 524288 - 3) {
            b.rec(1000, i, 1, START).rec(1000, i + 1, 1, COMMIT);
            i += 2;
            n += 2;
        }
        b.rec(1000, i, 1, START).rec(1000, i + 1, 1, WRITE_READ, M).rec(1000, i + 2, 1, WRITE_READ, M)
                .rec(1000, i + 3, 1, ABORT);
        i += 4;
        n += 4;
        while (n < 2 * 524288 + 1) {
            b.rec(1000, i, 1, START).rec(1000, i + 1, 1, COMMIT);
            i += 2;
            n += 2;
        }
        Path log = log(b);
        Runs r = Runs.strict(log, dir);
        assertNull(r.error());
        String[] items = r.err().split("[ \n]");
        assertTrue(r.err().matches("\\d+% note: double STM_CONTENTION_WRITE_READ\n\\d+%\n"), r.err());
        long size = Files.size(log);
        assertEquals(PyFormat.fixed((16 + 14 * 524289L + 2 * M.length()) * (1.0 / size) * 100.0, 0, 0) + "%", items[0]);
    }
}
