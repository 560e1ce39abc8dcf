package dev.stmlog.analyzer;

import dev.stmlog.reports.CheckView;
import dev.stmlog.reports.DamageView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCheckTest {
    @TempDir
    Path dir;

    private Path log(String name) throws IOException {
        TestLog t = new TestLog().name(1, "worker-1");
        for (int i = 0; i < 2000; i++) t.start(1, i * MS).commit(1, i * MS + MS / 2);
        return t.write(dir.resolve(name));
    }

    @Test
    void aWholeLogIsClean() throws IOException {
        Path log = log("whole.stmlog");
        CheckView.FileCheck c = LogCheck.of(log, LogSource.Options.DEFAULTS);
        assertEquals(log.toString(), c.file());
        assertEquals(Files.size(log), c.sizeBytes());
        assertEquals(List.of("format", "writer"), c.header().keySet().stream().limit(2).toList());
        assertTrue(c.cleanClose());
        assertEquals(c.events(), c.trailerEvents());
        assertTrue(c.events() >= 4001, "ThreadStart and 2000 attempts: " + c.events());
        assertEquals(DamageView.NONE, c.damage());
        assertTrue(c.isClean());
    }

    @Test
    void aCutLogSaysWhatTheAnalysisSays() throws IOException {
        byte[] all = Files.readAllBytes(log("all.stmlog"));
        Path cut = Files.write(dir.resolve("cut.stmlog"), Arrays.copyOf(all, all.length * 7 / 10));
        CheckView.FileCheck c = LogCheck.of(cut, LogSource.Options.DEFAULTS);
        assertFalse(c.isClean());
        assertFalse(c.cleanClose());
        assertEquals(-1, c.trailerEvents());
        // the same description as the analysis's, but the notes are the file's own: no name before them
        Analysis a = Analyzer.analyze(List.of(cut), AnalysisOptions.defaults(), Progress.NONE);
        DamageView summed = a.damage();
        assertTrue(c.damage().truncated());
        assertEquals(summed.truncated(), c.damage().truncated());
        assertEquals(summed.bytesSkipped(), c.damage().bytesSkipped());
        assertEquals(summed.missingChunks(), c.damage().missingChunks());
        assertEquals(summed.malformedRecords(), c.damage().malformedRecords());
        assertEquals(summed.notes(), c.damage().notes().stream().map(n -> cut + ": " + n).toList());
        assertEquals(a.events(), c.events());
    }
}
