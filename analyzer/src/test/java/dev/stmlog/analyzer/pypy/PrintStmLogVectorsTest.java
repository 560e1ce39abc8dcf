package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PrintStmLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-for-byte comparison with the original script's outputs on the shared vectors, each run
 * with its case folder as the source base (the original ran with it as working directory).
 */
class PrintStmLogVectorsTest {

    static Path vectors() {
        try {
            return Path.of(PrintStmLogVectorsTest.class.getResource("/pypy-vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> cases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(vectors())) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    static Stream<Arguments> runs() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String c : cases()) {
            for (boolean strict : new boolean[] {true, false}) {
                out.add(Arguments.of(c, "expected.txt", null, strict));
                if (Files.exists(vectors().resolve(c).resolve("expected-top15.txt"))) {
                    out.add(Arguments.of(c, "expected-top15.txt", 15, strict));
                }
            }
        }
        return out.stream();
    }

    /** stdout, stderr and the result of one run on a case. */
    record Run(byte[] out, byte[] err, PrintStmLog.Result result) {}

    static Run run(String name, Integer limit, boolean strict) throws Exception {
        Path dir = vectors().resolve(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStmLog.Options o = PrintStmLog.Options.defaults().withLimit(limit).withStrict(strict)
                .withSourceRoots(List.of(dir));
        PrintStmLog.Result r;
        try (PrintStream po = new PrintStream(out, false); PrintStream pe = new PrintStream(err, false)) {
            r = PrintStmLog.run(dir.resolve(name + ".stmlog"), name + ".stmlog", o, po, pe);
        }
        return new Run(out.toByteArray(), err.toByteArray(), r);
    }

    @ParameterizedTest(name = "{0} {1} strict={3}")
    @MethodSource("runs")
    void sameBytesAsTheScript(String name, String expectedFile, Integer limit, boolean strict) throws Exception {
        Path dir = vectors().resolve(name);
        Run run = run(name, limit, strict);
        byte[] expected = Files.readAllBytes(dir.resolve(expectedFile));
        if (!java.util.Arrays.equals(expected, run.out())) {
            // a readable diff first, then the byte comparison
            assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                    new String(run.out(), StandardCharsets.ISO_8859_1), name + " stdout");
        }
        assertArrayEquals(expected, run.out(), name + " stdout");
        assertArrayEquals(Files.readAllBytes(dir.resolve("expected.stderr.txt")), run.err(), name + " stderr");
        assertTrue(run.result().warnings().isEmpty(), () -> "no warnings expected: " + run.result().warnings());
    }
}
