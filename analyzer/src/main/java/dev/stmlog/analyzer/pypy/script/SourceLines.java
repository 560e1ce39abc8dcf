package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.PypyCompatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source line printed under a marker (analyzer/docs/pypy-compatibility.md#source-lines): the
 * script's regular expression {@code File "(.+)", line (\d+)}, then Python's
 * {@code linecache.getline}, then {@code strip()}. Files are read once and cached for the run, as
 * linecache does.
 *
 * <p>Relative names are tried under each root in turn (the first is the working directory or
 * {@code --source-path}); the script would go on to Python's module search path, which stmlog
 * cannot reproduce (analyzer/docs/pypy-compatibility.md#q18).
 */
final class SourceLines {
    private static final byte[] FILE_PREFIX = "File \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_INFIX = "\", line ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] NO_LINES = new byte[0][];

    private final List<Path> roots;
    private final Map<String, byte[][]> cache = new HashMap<>();

    SourceLines(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** A match of the regular expression: the file name bytes and the line number (saturated). */
    record Match(byte[] file, long line) {}

    /**
     * Python's {@code re.search} (or, with {@code atStart}, {@code re.match}) of the pattern on
     * bytes: {@code .} is any byte but LF and {@code (.+)} is greedy, so the name runs to the last
     * {@code ", line <digit>} on the line of the leftmost {@code File "} that has one.
     */
    static Match match(byte[] m, boolean atStart) {
        int lastStart = atStart ? 0 : m.length - FILE_PREFIX.length;
        for (int s = 0; s <= lastStart; s++) {
            if (!startsWith(m, s, FILE_PREFIX)) continue;
            int p = s + FILE_PREFIX.length;
            int eol = p;
            while (eol < m.length && m[eol] != '\n') eol++;
            for (int q = eol - LINE_INFIX.length - 1; q >= p + 1; q--) {
                int d = q + LINE_INFIX.length;
                if (startsWith(m, q, LINE_INFIX) && isDigit(m[d])) {
                    long line = 0;
                    for (int i = d; i < m.length && isDigit(m[i]); i++) {
                        line = line > Long.MAX_VALUE / 10 - 1 ? Long.MAX_VALUE : line * 10 + (m[i] - '0');
                    }
                    return new Match(java.util.Arrays.copyOfRange(m, p, q), line);
                }
            }
        }
        return null;
    }

    /**
     * The stripped source line for a marker, or null when nothing is to be printed.
     *
     * @param atStart      C7: the pattern must match at the marker's start
     * @param skipCompiled C8: no lookup for {@code .pyc}/{@code .pyo} names
     * @param strict       a NUL byte in the name fails as Python's {@code os.stat} does (#q17);
     *                     otherwise the lookup is skipped
     */
    byte[] lookup(byte[] marker, boolean atStart, boolean skipCompiled, boolean strict) {
        Match m = match(marker, atStart);
        if (m == null) return null;
        byte[] name = m.file();
        if (skipCompiled && (endsWith(name, ".pyc") || endsWith(name, ".pyo"))) return null;
        byte[][] lines = lines(name, strict);
        if (m.line() < 1 || m.line() > lines.length) return null;
        byte[] stripped = strip(lines[(int) (m.line() - 1)]);
        return stripped.length == 0 ? null : stripped;
    }

    private byte[][] lines(byte[] name, boolean strict) {
        String key = new String(name, StandardCharsets.ISO_8859_1);
        byte[][] cached = cache.get(key);
        if (cached != null) return cached;
        byte[][] lines = NO_LINES;
        if (!(name[0] == '<' && name[name.length - 1] == '>')) {
            for (byte b : name) {
                if (b == 0) {
                    if (strict) {
                        throw new PypyCompatException("TypeError",
                                "stat() argument 1 must be encoded string without null bytes, not str", -1);
                    }
                    return NO_LINES;
                }
            }
            lines = load(name);
        }
        cache.put(key, lines);
        return lines;
    }

    private byte[][] load(byte[] name) {
        String path;
        try {
            // Java paths are strings: a name that is not UTF-8 cannot be opened byte for byte
            path = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            return NO_LINES;
        }
        try {
            Path found = null;
            if (path.startsWith("/")) {
                Path p = Path.of(path);
                if (Files.exists(p)) found = p;
            } else {
                for (Path root : roots) {
                    Path p = root.resolve(path);
                    if (Files.exists(p)) {
                        found = p;
                        break;
                    }
                }
            }
            // found but unreadable (a directory, no permission): no lines, as linecache
            return found == null || !Files.isRegularFile(found) ? NO_LINES : split(Files.readAllBytes(found));
        } catch (InvalidPathException | IOException | SecurityException e) {
            return NO_LINES;
        }
    }

    /** Python's universal newlines: LF, CR LF and a lone CR each end a line. */
    static byte[][] split(byte[] content) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < content.length) {
            byte b = content[i];
            if (b == '\n' || b == '\r') {
                out.add(java.util.Arrays.copyOfRange(content, start, i));
                i += b == '\r' && i + 1 < content.length && content[i + 1] == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < content.length) out.add(java.util.Arrays.copyOfRange(content, start, content.length));
        return out.toArray(NO_LINES);
    }

    /** Python 2 {@code str.strip()}: ASCII space, TAB, LF, CR, VT and FF at both ends. */
    static byte[] strip(byte[] s) {
        int a = 0;
        int b = s.length;
        while (a < b && isSpace(s[a])) a++;
        while (b > a && isSpace(s[b - 1])) b--;
        return java.util.Arrays.copyOfRange(s, a, b);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean startsWith(byte[] s, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > s.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (s[at + i] != prefix[i]) return false;
        }
        return true;
    }

    private static boolean endsWith(byte[] s, String suffix) {
        int n = suffix.length();
        if (s.length < n) return false;
        for (int i = 0; i < n; i++) {
            if (s[s.length - n + i] != suffix.charAt(i)) return false;
        }
        return true;
    }
}
