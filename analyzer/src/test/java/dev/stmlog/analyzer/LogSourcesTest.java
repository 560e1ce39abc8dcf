package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.ReadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seam every log goes through: the list of sources, the choice among them, what check says. */
class LogSourcesTest {
    private static final Path VECTORS = Path.of("src/test/resources/pypy-vectors");
    private static final Path C7 = VECTORS.resolve("c7-small/c7-small.stmlog");
    private static final Path C8 = VECTORS.resolve("c8-tiny/c8-tiny.stmlog");

    @TempDir
    Path dir;

    @Test
    void theListHasEachSourceOnce() {
        assertEquals(List.of("stmlog", "pypy", "jfr"), LogSources.ALL.stream().map(LogSource::name).toList());
        assertEquals(List.of(PypySource.EVENTS), LogSources.settings());
        assertEquals(List.of("final", "2015-06", "2015-03"), PypySource.EVENTS.values());
    }

    @Test
    void eachFileGoesToItsSource() throws IOException {
        assertEquals("stmlog", LogSources.of(stmlogLog()).name());
        assertEquals("pypy", LogSources.of(C7).name());
        assertEquals("pypy", LogSources.of(C8).name());
        assertInstanceOf(PypySource.class, LogSources.of(C8));
        assertEquals("jfr", LogSources.of(new byte[] {'F', 'L', 'R', 0, 0, 2}).name());
    }

    @Test
    void aFileThatIsNeitherGetsTheOneLineError() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.stmlog"), "hello, this is not a log\n");
        assertEquals("stmlog", LogSources.of(text).name()); // the reader that says where the magic is wrong
        LogFormatException e = assertThrows(LogFormatException.class,
                () -> LogSources.read(text, EventVisitor.IGNORE, LogSource.Options.DEFAULTS, Progress.NONE));
        assertEquals(text + ": not a stmlog log (bad magic) (at byte 0)", e.getMessage());
        // a PyPy header cut short is not a PyPy log either
        Path cut = Files.writeString(dir.resolve("cut.stmlog"), "STMGC-C8-PROF");
        assertEquals("stmlog", LogSources.of(cut).name());
    }

    @Test
    void stmlogDescribesItsRecording() throws IOException {
        Path log = stmlogLog();
        LogSource s = LogSources.of(log);
        ReadResult r = s.read(log, EventVisitor.IGNORE, LogSource.Options.DEFAULTS, Progress.NONE);
        assertEquals("stmlog version 1", s.format(r));
        Map<String, String> d = s.details(r);
        assertEquals(List.of("pid", "command", "jvm", "processors", "worker threads", "started", "app mode"),
                List.copyOf(d.keySet()));
    }

    @Test
    void pypyDescribesWhatItsLogsHave() throws IOException {
        LogSource s = LogSources.of(C8);
        ReadResult c8 = s.read(C8, EventVisitor.IGNORE, LogSource.Options.DEFAULTS, Progress.NONE);
        assertEquals("PyPy-STM C8 log", s.format(c8));
        assertEquals(Map.of("source", "pypy-stm", "pypy generation", "C8", "pypy events", "final",
                "pypy firstTimestamp", c8.metadata().user().get("pypy.firstTimestamp")), s.details(c8));
        ReadResult c7 = s.read(C7, EventVisitor.IGNORE, LogSource.Options.DEFAULTS, Progress.NONE);
        assertEquals("PyPy-STM C7 log", s.format(c7));
        assertEquals(List.of("source", "pypy generation", "pypy firstTimestamp"), List.copyOf(s.details(c7).keySet()));
    }

    @Test
    void theNumberingIsASettingOfThePypySource() throws IOException {
        LogSource.Options june = new LogSource.Options(Map.of("pypy-events", "2015-06"), w -> { });
        ReadResult r = LogSources.read(C8, EventVisitor.IGNORE, june, Progress.NONE);
        assertEquals("2015-06", r.metadata().user().get("pypy.events"));
        assertEquals("final", LogSource.Options.DEFAULTS.setting(PypySource.EVENTS));
    }

    private Path stmlogLog() throws IOException {
        return new TestLog().start(1, 0).commit(1, TestLog.MS).write(dir.resolve("app.stmlog"));
    }
}
