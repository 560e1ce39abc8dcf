package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyPy-STM logs through the command line: every verb reads them; --style pypy is the original. */
class PypyLogsTest {
    private static final Path VECTORS = Path.of("src/test/resources/pypy-vectors");

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c8-tiny", "c8-small-2k", "c8-medium-50k", "c8-truncated", "c7-small", "c7-medium-jitter"})
    void topStylePypyPrintsWhatPrintStmLogPrints(String name) throws Exception {
        Path dir = VECTORS.resolve(name);
        Cli.Result r = Cli.run("top", "--style", "pypy", "--source-path", dir.toString(), dir.resolve(name + ".stmlog").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(read(dir.resolve("expected.txt")), r.out());
        assertEquals(read(dir.resolve("expected.stderr.txt")), r.err());
    }

    @Test
    void theLimitIsPassedOn() throws Exception {
        Path dir = VECTORS.resolve("c8-small-2k");
        Cli.Result r = Cli.run("top", "--style", "pypy", "--limit", "15", "--source-path", dir.toString(),
                dir.resolve("c8-small-2k.stmlog").toString());
        assertEquals(read(dir.resolve("expected-top15.txt")), r.out());
    }

    @Test
    void theDefaultStyleGivesAPypyLogTheWholeAnalysis() {
        Path log = VECTORS.resolve("c8-medium-50k/c8-medium-50k.stmlog");
        Cli.Result r = Cli.run("top", "--format", "json", "--limit", "3", log.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"kind\": \"WRITE_READ\""), r.out());
        assertTrue(r.out().contains("tiles.py"), r.out());
        Cli.Result s = Cli.run("summary", "--format", "json", log.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("\"threads\": 6"), s.out());
    }

    @Test
    void checkSaysATruncatedPypyLogIsDamaged() {
        Cli.Result r = Cli.run("check", VECTORS.resolve("c8-truncated/c8-truncated.stmlog").toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("PyPy-STM C8 log"), r.out());
        assertTrue(r.out().contains("truncated at byte"), r.out());
    }

    @Test
    void stylePypyRefusesAStmlogLogAndStrictNeedsIt() throws Exception {
        Path notPypy = Files.createTempFile("not-pypy", ".stmlog");
        Files.write(notPypy, new byte[] {(byte) 0x89, 'S', 'T', 'M', 'L', 'O', 'G', '\n', 1, 0, 0, 0});
        Cli.Result r = Cli.run("top", "--style", "pypy", notPypy.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("not a PyPy-STM log"), r.err());
        Cli.Result strict = Cli.run("top", "--strict", VECTORS.resolve("c8-tiny/c8-tiny.stmlog").toString());
        assertEquals(2, strict.status());
        assertTrue(strict.err().contains("--strict goes with --style pypy"), strict.err());
        Cli.Result numbering = Cli.run("top", "--pypy-events", "2016", VECTORS.resolve("c8-tiny/c8-tiny.stmlog").toString());
        assertEquals(2, numbering.status());
        assertTrue(numbering.err().contains("--pypy-events"), numbering.err());
        Files.delete(notPypy);
    }
}
