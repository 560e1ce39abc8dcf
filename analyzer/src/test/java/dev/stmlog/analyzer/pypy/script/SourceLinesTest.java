package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.PypyCompatException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source-line lookup of analyzer/docs/pypy-compatibility.md#source-lines: the regular
 * expression, linecache, strip.
 */
class SourceLinesTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String lookup(SourceLines s, String marker, boolean c7) {
        byte[] r = s.lookup(b(marker), c7, !c7, true);
        return r == null ? null : new String(r, StandardCharsets.UTF_8);
    }

    @Test
    void regexIsGreedyAndSearchesAnywhere() {
        SourceLines.Match m = SourceLines.match(b("x File \"a.py\", line 2 y File \"b.py\", line 3x, in f"), false);
        assertArrayEquals(b("a.py\", line 2 y File \"b.py"), m.file());
        assertEquals(3, m.line());
        assertNull(SourceLines.match(b("x File \"a.py\", line 2"), true)); // C7: match at the start only
        assertEquals(2, SourceLines.match(b("File \"a.py\", line 2"), true).line());
        assertNull(SourceLines.match(b("File \"\", line 2"), false)); // (.+) needs a byte
        assertNull(SourceLines.match(b("File \"a.py\n\", line 2"), false)); // '.' is not LF
        assertEquals(Long.MAX_VALUE, SourceLines.match(b("File \"a\", line 99999999999999999999999"), false).line());
    }

    @Test
    void linecacheRules() throws Exception {
        Files.write(dir.resolve("crlf.py"), b("one\r\n\t two \t\r\n\r\n   \r\nlast\rafter-cr\nend"));
        Files.writeString(dir.resolve("m.pyc"), "decoy line\n");
        Files.createDirectories(dir.resolve("adir.py"));
        SourceLines s = new SourceLines(List.of(dir));
        assertEquals("one", lookup(s, "File \"crlf.py\", line 1, in f (#1)", false));
        assertEquals("two", lookup(s, "File \"crlf.py\", line 2, in f (#1)", false)); // stripped
        assertNull(lookup(s, "File \"crlf.py\", line 3, in f (#1)", false)); // empty
        assertNull(lookup(s, "File \"crlf.py\", line 4, in f (#1)", false)); // whitespace only
        assertEquals("last", lookup(s, "File \"crlf.py\", line 5, in f (#1)", false)); // lone CR ends a line
        assertEquals("after-cr", lookup(s, "File \"crlf.py\", line 6, in f (#1)", false));
        assertEquals("end", lookup(s, "File \"crlf.py\", line 7, in f (#1)", false)); // no final newline
        assertNull(lookup(s, "File \"crlf.py\", line 8, in f (#1)", false)); // past the end
        assertNull(lookup(s, "File \"crlf.py\", line 0, in f (#1)", false));
        assertNull(lookup(s, "File \"m.pyc\", line 1, in f (#1)", false)); // C8 skips .pyc
        assertEquals("decoy line", lookup(s, "File \"m.pyc\", line 1, in f", true)); // C7 does not
        assertNull(lookup(s, "File \"missing.py\", line 1, in f", false));
        assertNull(lookup(s, "File \"adir.py\", line 1, in f", false)); // exists, unreadable as a file
        assertNull(lookup(s, "File \"<string>\", line 1, in f", false));
        assertNull(lookup(s, "File \"/nonexistent/caf\u00e9/app.py\", line 1, in f", false));
    }

    @Test
    void angleBracketNamesAreSkippedOnlyWhenBothEnds() throws Exception {
        Files.writeString(dir.resolve("<odd.py"), "found\n");
        SourceLines s = new SourceLines(List.of(dir));
        assertEquals("found", lookup(s, "File \"<odd.py\", line 1, in f", false));
    }

    @Test
    void laterRootsAreSearchedForRelativeNames() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("lib.py"), "x = 1\n");
        SourceLines s = new SourceLines(List.of(dir.resolve("empty"), other));
        assertEquals("x = 1", lookup(s, "File \"lib.py\", line 1, in f", false));
    }

    @Test
    void filesAreReadOncePerRun() throws Exception {
        Path f = dir.resolve("c.py");
        Files.writeString(f, "first\n");
        SourceLines s = new SourceLines(List.of(dir));
        assertEquals("first", lookup(s, "File \"c.py\", line 1, in f", false));
        Files.writeString(f, "second\n");
        assertEquals("first", lookup(s, "File \"c.py\", line 1, in f", false));
    }

    @Test
    void nulInTheNameFailsLikeOsStatWhenStrict() {
        SourceLines s = new SourceLines(List.of(dir));
        PypyCompatException e = assertThrows(PypyCompatException.class,
                () -> s.lookup(b("File \"a\u0000b.py\", line 1, in f"), false, true, true));
        assertEquals("TypeError: stat() argument 1 must be encoded string without null bytes, not str", e.getMessage());
        assertNull(s.lookup(b("File \"a\u0000b.py\", line 1, in f"), false, true, false));
    }
}
