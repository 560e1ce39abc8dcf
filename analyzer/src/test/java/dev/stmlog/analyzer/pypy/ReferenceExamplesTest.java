package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PypyReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two examples worked out by hand and checked against the real scripts, a C8 log and a C7 log,
 * from input bytes to output bytes (analyzer/docs/pypy-compatibility.md#examples).
 */
class ReferenceExamplesTest {
    static final String DEMO = "counts = {}\n\ndef update(key):\n    counts[key] = counts.get(key, 0) + 1\n\n"
            + "def report():\n    print len(counts)\n";
    static final String A = "File \"demo.py\", line 4, in update (#18)";
    static final String B = "File \"demo.py\", line 7, in report (#6)";
    static final String D = "File \"lib/missing.py\", line 12, in helper (#40)";

    @TempDir
    Path dir;

    /** The C8 example: 32 records of three threads, in milliseconds after 5000 s plus 123 ns. */
    static PypyLogBuilder workedExample() {
        long[][] rows = {
            {123, 1, 0}, {1000123, 2, 7}, {2000123, 1, 12}, {3000123, 2, 11}, {3000123, 2, 0},
            {3500123, 1, 13}, {5000123, 2, 5, 'B'}, {10000123, 1, 1}, {11000123, 1, 0}, {12000123, 3, 0},
            {15000123, 1, 9}, {17000123, 1, 11}, {24000123, 2, 1}, {25500123, 1, 6, 'A'}, {26000123, 1, 2},
            {27000123, 1, 0}, {30500123, 3, 6, 'D'}, {30600123, 3, 2}, {31500123, 1, 6, 'A'}, {31700123, 3, 0},
            {31800123, 3, 6, 'A'}, {32000123, 1, 2}, {32100123, 3, 2}, {33000123, 1, 0}, {35000123, 2, 0},
            {36000123, 2, 3}, {40000123, 1, 5, 'B'}, {41000123, 1, 10}, {45000123, 2, 4}, {50000123, 2, 1},
            {52000123, 1, 11}, {60000123, 1, 1},
        };
        PypyLogBuilder b = PypyLogBuilder.c8();
        for (long[] r : rows) {
            String m = r.length < 4 ? null : r[3] == 'A' ? A : r[3] == 'B' ? B : D;
            b.rec(5000, r[0], r[1], (int) r[2], m);
        }
        return b;
    }

    @Test
    void workedExampleC8() throws Exception {
        Files.writeString(dir.resolve("demo.py"), DEMO);
        Path log = workedExample().write(dir.resolve("demo.stmlog"));
        assertEquals(704, Files.size(log));
        String expected = "\n"
                + "Total real time:         0.060s\n"
                + "CPU time in STM mode:    0.053s ( 88%) committed\n"
                + "                         0.037s ( 61%) aborted\n"
                + "                         0.013s ( 21%) paused\n"
                + "                         0.103s (171%) TOTAL\n"
                + "           including     0.002s (2.5%) minor GC collections\n"
                + "                 and     0.000s (0.0%) major GC collections\n"
                + "Total number of transactions:      8 committed:  50% aborted:  50%\n"
                + "     transactions per second:     78\n"
                + "\n"
                + "0.017s lost in aborts, 0.002s paused (3x STM_CONTENTION_WRITE_READ)\n"
                + "  " + A + "\n"
                + "    counts[key] = counts.get(key, 0) + 1\n"
                + "time line: |" + " ".repeat(25) + "x" + " ".repeat(5) + "X" + " ".repeat(28) + "|\n"
                + "\n"
                + "0.019s lost in aborts, 0.000s paused (1x STM_CONTENTION_WRITE_READ)\n"
                + "  " + D + "\n"
                + "time line: |" + " ".repeat(30) + "X" + " ".repeat(29) + "|\n"
                + "\n"
                + "0.000s lost in aborts, 0.011s paused (1x STM_BECOME_INEVITABLE)\n"
                + "  " + B + "\n"
                + "    print len(counts)\n"
                + "time line: |" + " ".repeat(40) + "X" + " ".repeat(19) + "|\n"
                + "\n";
        for (boolean strict : new boolean[] {true, false}) {
            Runs r = Runs.run(log, dir, strict, null);
            assertNull(r.error());
            assertEquals(expected, r.out());
            assertEquals("\n", r.err());
        }
        // the exact sort keys, worked out record by record
        PypyReport rep = Runs.strict(log, dir).result().report();
        assertEquals(0.019100000000435102, rep.conflicts().get(0).sortKey());
        assertEquals(0.018500000000130967, rep.conflicts().get(1).sortKey());
        assertEquals(0.01099999999951251, rep.conflicts().get(2).sortKey());
        assertEquals(0.0015000000003055902, rep.minorGc());
    }

    @Test
    void exampleC7() throws Exception {
        Files.writeString(dir.resolve("demo.py"), DEMO);
        String a = "File \"demo.py\", line 4, in update";
        String b = "File \"demo.py\", line 7, in report";
        Path log = PypyLogBuilder.c7()
                .at7(0.000, 1, 0, 0, null, null)
                .at7(1.000, 2, 0, 0, null, null)
                .at7(50.000, 2, 1, 3, a, b)
                .at7(51.000, 2, 0, 2, null, null)
                .at7(52.000, 2, 0, 0, null, null)
                .at7(80.000, 1, 2, 3, b, a)
                .at7(80.100, 1, 0, 6, null, null)
                .at7(82.000, 2, 0, 2, null, null)
                .at7(83.000, 2, 0, 0, null, null)
                .at7(90.000, 2, 1, 5, b, b)
                .at7(90.100, 2, 0, 9, null, null)
                .at7(110.000, 1, 0, 1, null, null)
                .at7(120.000, 2, 0, 10, null, null)
                .at7(200.000, 2, 0, 1, null, null)
                .write(dir.resolve("demo7.stmlog"));
        String expected = "\n"
                + "Total real time:             0.200s\n"
                + "Total CPU time in STM mode:  0.277s (138%)\n"
                + "\n"
                + "0.050s lost in aborts, 0.000s paused (1x STM_CONTENTION_WRITE_WRITE)\n"
                + "  " + a + "\n    counts[key] = counts.get(key, 0) + 1\n"
                + "  " + b + "\n    print len(counts)\n"
                + "time line: ............x...................................\n\n"
                + "0.030s lost in aborts, 0.000s paused (1x STM_CONTENTION_WRITE_WRITE)\n"
                + "  " + b + "\n    print len(counts)\n"
                + "  " + a + "\n    counts[key] = counts.get(key, 0) + 1\n"
                + "time line: ...................x............................\n\n"
                + "0.000s lost in aborts, 0.030s paused (1x STM_CONTENTION_INEVITABLE)\n"
                + "  " + b + "\n    print len(counts)\n"
                + "  " + b + "\n    print len(counts)\n"
                + "time line: .....................x..........................\n\n";
        Runs r = Runs.strict(log, dir);
        assertNull(r.error());
        assertEquals(expected, r.out());
        assertEquals("\n", r.err());
    }

    @Test
    void c7BucketDependsOnTheAbsoluteTime() throws Exception {
        // with a 1000 s base the first conflict lands in bucket 11, not 12: the doubles of the
        // absolute times, not the offsets, decide (analyzer/docs/pypy-compatibility.md#time-line)
        String a = "x";
        Path log = PypyLogBuilder.c7()
                .rec7(1000, 0, 1, 0, 0, null, null)
                .rec7(1000, 50_000_000, 2, 1, 3, a, null)
                .rec7(1000, 200_000_000, 1, 0, 1, null, null)
                .write(dir.resolve("base.stmlog"));
        Runs r = Runs.strict(log, dir);
        assertEquals("time line: ...........x....................................", r.out().lines()
                .filter(l -> l.startsWith("time line")).findFirst().orElseThrow());
    }
}
