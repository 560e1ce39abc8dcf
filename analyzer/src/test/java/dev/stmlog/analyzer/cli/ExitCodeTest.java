package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExitCodeTest {
    @TempDir
    Path dir;

    /** One line on stderr, and no stack trace. */
    static String oneLine(Cli.Result r) {
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "expected one line on stderr:\n" + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        return lines.get(0);
    }

    @Test
    void missingFileIsBadData() {
        Path missing = dir.resolve("nope.stmlog");
        for (String verb : List.of("top", "summary", "check", "print")) {
            Cli.Result r = Cli.run(verb, missing.toString());
            assertEquals(1, r.status(), verb);
            String line = oneLine(r);
            assertTrue(line.contains(missing.toString()) && line.contains("no such file"), line);
            assertEquals("", r.out());
        }
    }

    @Test
    void notAStmlogFileIsBadDataWithItsOffset() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.stmlog"), "hello, this is not a log\n");
        Cli.Result r = Cli.run("top", text.toString());
        assertEquals(1, r.status());
        String line = oneLine(r);
        assertTrue(line.contains(text.toString()) && line.contains("not a stmlog log") && line.contains("byte 0"), line);
        Cli.Result check = Cli.run("check", text.toString());
        assertEquals(1, check.status());
        assertTrue(check.err().contains("not a stmlog log"), check.err());
    }

    @Test
    void emptyFileCannotBeRead() throws IOException {
        Path empty = Files.write(dir.resolve("empty.stmlog"), new byte[0]);
        Cli.Result r = Cli.run("top", empty.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("nothing could be read"), r.err());
    }

    @Test
    void directoryWithoutLogs() {
        Cli.Result r = Cli.run("summary", dir.toString());
        assertEquals(1, r.status());
        assertTrue(oneLine(r).contains("no .stmlog files"));
    }

    @Test
    void optionTypoSuggests() throws IOException {
        Path log = Planted.write(dir.resolve("a.stmlog"));
        Cli.Result r = Cli.run("top", "--limt", "3", log.toString());
        assertEquals(2, r.status());
        String line = oneLine(r);
        assertTrue(line.contains("unknown option '--limt'") && line.contains("did you mean '--limit'?"), line);
    }

    @Test
    void verbTypoSuggests() {
        Cli.Result r = Cli.run("tpo", "x.stmlog");
        assertEquals(2, r.status());
        String line = oneLine(r);
        assertTrue(line.contains("unknown verb 'tpo'") && line.contains("did you mean 'top'?"), line);
        Cli.Result s = Cli.run("sumary", "x.stmlog");
        assertTrue(oneLine(s).contains("did you mean 'summary'?"), s.err());
    }

    @Test
    void badOptionValues() throws IOException {
        Path log = Planted.write(dir.resolve("a.stmlog"));
        for (String[] args : List.of(
                new String[] {"top", "--by", "file", log.toString()},
                new String[] {"top", "--sort", "fastest", log.toString()},
                new String[] {"top", "--limit", "many", log.toString()},
                new String[] {"top", "--depth", "0", log.toString()},
                new String[] {"top", "--from", "soon", log.toString()},
                new String[] {"top", "--from", "2", "--to", "1", log.toString()},
                new String[] {"top", "--format", "xml", log.toString()},
                new String[] {"check", "--format", "csv", log.toString()},
                new String[] {"print", "--type", "nonsense", log.toString()},
                new String[] {"top"},
                new String[] {})) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
            String line = oneLine(r);
            assertTrue(line.startsWith("stmlog"), line);
        }
    }

    @Test
    void helpOnEveryVerbWithExamples() {
        for (String verb : List.of("top", "summary", "check", "print", "record")) {
            Cli.Result r = Cli.run(verb, "--help");
            assertEquals(0, r.status(), verb);
            assertTrue(r.out().contains("Examples:") && r.out().contains("stmlog " + verb), verb + ":\n" + r.out());
        }
        Cli.Result top = Cli.run("top", "--help");
        assertTrue(top.out().contains("What is charged where"), top.out());
        assertTrue(top.out().contains("lost in aborts"), top.out());
        assertTrue(top.out().contains("(with % of wall time)") && top.out().contains(".:-=+*#%@"), top.out());
        Cli.Result root = Cli.run("--help");
        assertEquals(0, root.status());
        assertTrue(root.out().contains("top") && root.out().contains("record"), root.out());
        assertEquals(0, Cli.run("help", "top").status());
        assertEquals(0, Cli.run("--version").status());
    }
}
