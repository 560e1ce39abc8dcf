package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PypyReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark generator writes what the strict analysis accepts, with the intended mix. */
class LargePypyLogGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void generatedLogIsValidAndRealistic() throws Exception {
        Path log = dir.resolve("g.stmlog");
        long n = LargePypyLogGenerator.generate(log, 50_000);
        assertTrue(n >= 50_000 && n < 50_100);
        Runs r = Runs.strict(log, dir);
        assertNull(r.error());
        PypyReport rep = r.result().report();
        assertEquals(n, rep.records());
        assertEquals(8, rep.threads().size());
        double abortRate = (double) rep.nAborted() / rep.nTransactions();
        assertTrue(abortRate > 0.01 && abortRate < 0.06, "abort rate " + abortRate);
        assertTrue(rep.conflicts().size() >= 20, "conflict sites " + rep.conflicts().size());
        assertTrue(r.result().warnings().isEmpty());
    }
}
