package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsTheCommandWithStmLogThenPrintsTop() throws IOException {
        Path recorded = Planted.write(dir.resolve("recorded.stmlog"));
        Path out = dir.resolve("run.stmlog");
        // the "program" writes its log where STM_LOG says
        Cli.Result r = Cli.run("record", "--out", out.toString(), "--format", "json", "--",
                "/bin/sh", "-c", "cp '" + recorded + "' \"$STM_LOG\"");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(out));
        assertEquals("WRITE_WRITE", ((List<?>) Json.object(r.out()).get("sites")).isEmpty() ? null
                : TopCommandTest.sites(Json.object(r.out())).get(0).get("kind"));
        assertTrue(r.err().contains("recorded " + out), r.err());
    }

    @Test
    void aCommandThatWritesNoLogIsAnError() {
        Cli.Result r = Cli.run("record", "--out", dir.resolve("none.stmlog").toString(), "--", "/bin/sh", "-c", "exit 3");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("exited with status 3"), r.err());
        assertTrue(r.errLines().get(1).contains("wrote no log"), r.err());
    }

    @Test
    void aCommandThatRunsTooLongIsStopped() {
        Cli.Result r = Cli.run("record", "--timeout", "300ms", "--out", dir.resolve("slow.stmlog").toString(), "--",
                "/bin/sh", "-c", "exec sleep 60");
        assertEquals(1, r.status(), r.err());
        assertEquals(List.of("stmlog: /bin/sh -c exec sleep 60: still running after 300ms; stopped (--timeout)"), r.errLines());
    }
}
