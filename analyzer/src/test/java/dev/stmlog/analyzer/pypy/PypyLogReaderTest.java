package dev.stmlog.analyzer.pypy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PypyLogReaderTest {
    @TempDir
    Path dir;

    private static PypyLogReader open(Path p, PypyLogReader.Options o) throws Exception {
        return PypyLogReader.open(p, "x", o, new PypyWarnings());
    }

    @Test
    void detectsTheGenerationByHeader() {
        assertEquals(PypyGeneration.C8, PypyGeneration.detect(PypyLogBuilder.c8().bytes()));
        assertEquals(PypyGeneration.C7, PypyGeneration.detect(PypyLogBuilder.c7().bytes()));
        assertNull(PypyGeneration.detect("STMGC-C8-PROF02\n".getBytes(StandardCharsets.US_ASCII)));
        assertNull(PypyGeneration.detect("STMGC-C8".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void detectsTheGenerationOfAFile() throws Exception {
        assertEquals(PypyGeneration.C7, PypyGeneration.detect(PypyLogBuilder.c7().write(dir.resolve("a.stmlog"))));
        assertNull(PypyGeneration.detect(java.nio.file.Files.write(dir.resolve("b.stmlog"), new byte[3])));
    }

    @Test
    void readsFieldsAcrossWindowRefills() throws Exception {
        // more than one window of records, with markers of every length
        PypyLogBuilder b = PypyLogBuilder.c8();
        int n = 120_000;
        for (int i = 0; i < n; i++) {
            b.rec(0xFFFFFFFFL, i, 0x80000000L + (i % 7), i % 16, i % 3 == 0 ? "m".repeat(i % 256) : null);
        }
        Path log = b.write(dir.resolve("big.stmlog"));
        try (PypyLogReader r = open(log, PypyLogReader.Options.strictFinal())) {
            for (int i = 0; i < n; i++) {
                assertTrue(r.next());
                assertEquals(i, r.index());
                assertEquals(0xFFFFFFFFL, r.sec());
                assertEquals(i, r.nsec());
                assertEquals((double) 0xFFFFFFFFL + 1e-9 * i, r.timestamp());
                assertEquals(0x80000000L + (i % 7), r.thread());
                assertEquals(i % 16, r.event());
                assertEquals(i % 3 == 0 ? i % 256 : 0, r.marker1Length());
                assertEquals(r.offset() + 14 + r.marker1Length(), r.offsetAfter());
            }
            assertTrue(!r.next());
            assertEquals(-1, r.truncatedAt());
        }
    }

    @Test
    void olderNumberingsMapOntoTheFinalOne() throws Exception {
        String[] finalNames = new String[16];
        for (int c = 0; c < 16; c++) finalNames[c] = PypyGeneration.C8.eventName(c);
        // June 2015 and March 2015 tables of analyzer/docs/pypy-compatibility.md#c8-numberings, by name
        assertEquals("STM_BECOME_INEVITABLE", finalNames[C8Numbering.JUNE_2015.toFinal(3)]);
        assertEquals("STM_CONTENTION_WRITE_READ", finalNames[C8Numbering.JUNE_2015.toFinal(4)]);
        assertEquals("STM_WAIT_SYNCING", finalNames[C8Numbering.JUNE_2015.toFinal(6)]);
        assertEquals("STM_GC_MAJOR_DONE", finalNames[C8Numbering.JUNE_2015.toFinal(13)]);
        assertEquals("STM_CONTENTION_WRITE_READ", finalNames[C8Numbering.MARCH_2015.toFinal(3)]);
        assertEquals("STM_BECOME_INEVITABLE", finalNames[C8Numbering.MARCH_2015.toFinal(4)]);
        assertEquals("STM_WAIT_SYNC_PAUSE", finalNames[C8Numbering.MARCH_2015.toFinal(6)]);
        assertEquals("STM_GC_MAJOR_DONE", finalNames[C8Numbering.MARCH_2015.toFinal(12)]);
        assertEquals(14, C8Numbering.JUNE_2015.codeLimit());
        assertEquals(13, C8Numbering.MARCH_2015.codeLimit());
        assertEquals(C8Numbering.JUNE_2015, C8Numbering.parse("2015-06"));
        assertThrows(IllegalArgumentException.class, () -> C8Numbering.parse("2016"));
        Path log = PypyLogBuilder.c8().rec(1, 0, 1, 4, "w").write(dir.resolve("j.stmlog"));
        try (PypyLogReader r = open(log, new PypyLogReader.Options(true, C8Numbering.JUNE_2015, false))) {
            assertTrue(r.next());
            assertEquals(6, r.event());
            assertEquals(4, r.rawEvent());
        }
    }

    @Test
    void unknownCodesCanBeSkipped() throws Exception {
        // 2017 research-branch files: codes >= 16 with text payloads
        Path log = PypyLogBuilder.c8().rec(1, 0, 1, 0).rec(1, 1, 1, 16, "duration").rec(1, 2, 1, 17, "x")
                .rec(1, 3, 1, 1).write(dir.resolve("r.stmlog"));
        PypyWarnings w = new PypyWarnings();
        List<Integer> events = new ArrayList<>();
        try (PypyLogReader r = PypyLogReader.open(log, "r", new PypyLogReader.Options(false, null, true), w)) {
            while (r.next()) events.add(r.event());
            assertEquals(2, r.skippedUnknown());
        }
        assertEquals(List.of(0, 1), events);
        assertEquals(2, w.count("unknown-code"));
    }

    @Test
    void c7RecordsCarryTheOtherThreadAndTwoMarkers() throws Exception {
        Path log = PypyLogBuilder.c7().rec7(7, 8, 3, 4, 5, "ab", "cde").write(dir.resolve("c7.stmlog"));
        try (PypyLogReader r = open(log, PypyLogReader.Options.strictFinal())) {
            assertTrue(r.next());
            assertEquals(3, r.thread());
            assertEquals(4, r.otherThread());
            assertEquals(5, r.event());
            assertArrayEquals("ab".getBytes(), r.marker1());
            assertArrayEquals("cde".getBytes(), r.marker2());
            assertEquals(16 + 19 + 5, r.offsetAfter());
        }
    }
}
