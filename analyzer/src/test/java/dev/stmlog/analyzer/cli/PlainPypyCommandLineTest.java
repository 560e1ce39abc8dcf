package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code top --style pypy} reads a plain command line itself, without picocli (start-up time):
 * whatever it reads must come out exactly as through picocli, and whatever it cannot read
 * exactly must be left to picocli.
 */
class PlainPypyCommandLineTest {
    private static final Path VECTORS = Path.of("src/test/resources/pypy-vectors");

    @TempDir
    Path dir;

    private static Cli.Result run(boolean plain, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Stmlog.run(Environment.plain(Map.of()), new PrintWriter(out), new PrintWriter(err), plain, args);
        return new Cli.Result(status, out.toString(), err.toString());
    }

    @Test
    void plainCommandLinesGiveWhatPicocliGives() throws IOException {
        String tiny = VECTORS.resolve("c8-tiny/c8-tiny.stmlog").toString();
        String small = VECTORS.resolve("c8-small-2k/c8-small-2k.stmlog").toString();
        String c7 = VECTORS.resolve("c7-small/c7-small.stmlog").toString();
        String truncated = VECTORS.resolve("c8-truncated/c8-truncated.stmlog").toString();
        String sources = VECTORS.resolve("c8-small-2k").toString();
        Path empty = Files.write(dir.resolve("empty.stmlog"), "STMGC-C8-PROF01\n".getBytes());
        Path notPypy = Files.writeString(dir.resolve("text.stmlog"), "not a log\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"top", "--style", "pypy", tiny});
        lines.add(new String[] {"top", "--style=PYPY", c7});
        lines.add(new String[] {"top", tiny, "--style", "Pypy"});
        lines.add(new String[] {"top", "--style", "pypy", "--limit", "2", small});
        lines.add(new String[] {"top", "--style", "pypy", "-n", "-1", small});
        lines.add(new String[] {"top", "--style", "pypy", "--limit=0", small});
        lines.add(new String[] {"top", "--style", "pypy", "--strict", truncated});
        lines.add(new String[] {"top", "--style", "pypy", "--no-pager", "--exact", tiny});
        lines.add(new String[] {"top", "--style", "pypy", "--source-path", sources, small});
        lines.add(new String[] {"top", "--style", "pypy", "--source-path=" + dir + ":" + sources, small});
        lines.add(new String[] {"top", "--style", "pypy", "--pypy-events", "2015-06", tiny});
        lines.add(new String[] {"top", "--style", "pypy", "--pypy-events=bogus", tiny});
        lines.add(new String[] {"top", "--style", "pypy", empty.toString()});
        lines.add(new String[] {"top", "--style", "pypy", "--strict", empty.toString()});
        lines.add(new String[] {"top", "--style", "pypy", notPypy.toString()});
        lines.add(new String[] {"top", "--style", "pypy", dir.resolve("missing.stmlog").toString()});
        lines.add(new String[] {"top", "--style", "pypy", dir.toString()});
        for (String[] args : lines) {
            assertNotNull(PypyStyle.parsePlain(args), String.join(" ", args));
            Cli.Result plain = run(true, args);
            Cli.Result picocli = run(false, args);
            assertEquals(picocli, plain, String.join(" ", args));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String tiny = VECTORS.resolve("c8-tiny/c8-tiny.stmlog").toString();
        List<String[]> lines = List.of(
                new String[] {"top", tiny},
                new String[] {"top", "--style", "stmlog", tiny},
                new String[] {"top", "--style", "pypy"},
                new String[] {"top", "--style", "pypy", tiny, tiny},
                new String[] {"top", "--style", "pypy", "--help"},
                new String[] {"top", "--style", "pypy", "-h", tiny},
                new String[] {"top", "--style", "pypy", "--style", "pypy", tiny},
                new String[] {"top", "--style", "pypy", "--strict", "--strict", tiny},
                new String[] {"top", "--style", "pypy", "--strict=true", tiny},
                new String[] {"top", "--style", "pypy", "--limit", "010", tiny},
                new String[] {"top", "--style", "pypy", "--limit", "+3", tiny},
                new String[] {"top", "--style", "pypy", "--limit", "99999999999", tiny},
                new String[] {"top", "--style", "pypy", "--limit", "3", "--limit", "4", tiny},
                new String[] {"top", "--style", "pypy", "-n5", tiny},
                new String[] {"top", "--style", "pypy", "--limit", tiny},
                new String[] {"top", "--style", "pypy", "--pypy-events", "--strict", tiny},
                new String[] {"top", "--style", "pypy", "--source-path", ":" + tiny, tiny},
                new String[] {"top", "--style", "pypy", "--source-path", "a", "--source-path", "b", tiny},
                new String[] {"top", "--style", "pypy", "--format", "json", tiny},
                new String[] {"top", "--style", "pypy", "--by", "pair", tiny},
                new String[] {"top", "--style", "pypy", "--", tiny},
                new String[] {"top", "--style", "pypy", "-", tiny},
                new String[] {"top", "--style", "pypy", ""},
                new String[] {"top", "--style", "pypy", "@args.txt"},
                new String[] {"summary", "--style", "pypy", tiny},
                new String[] {"--style", "pypy", "top", tiny});
        for (String[] args : lines) {
            assertNull(PypyStyle.parsePlain(args), String.join(" ", args));
        }
    }
}
