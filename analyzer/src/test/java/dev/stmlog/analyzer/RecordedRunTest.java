package dev.stmlog.analyzer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordedRunTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    @Test
    void theExitStatusAndTheConsole() throws Exception {
        Path log = dir.resolve("run.stmlog"), console = dir.resolve("run.out");
        Files.writeString(log, "an old log");
        RecordedRun run = RecordedRun.toFile(sh("printf '%s' \"$STM_LOG\"; echo oops >&2; exit 3"), log, console, LONG);
        assertEquals(3, run.run());
        assertFalse(Files.exists(log), "the old log was deleted and the child wrote none");
        String out = Files.readString(console);
        assertTrue(out.startsWith(log.toAbsolutePath().toString()), "STM_LOG is the log's absolute path: " + out);
        assertTrue(out.contains("oops"), "stderr goes to the console file too: " + out);
    }

    @Test
    void aChildThatWritesItsLog() throws Exception {
        Path log = dir.resolve("made.stmlog");
        RecordedRun run = RecordedRun.toFile(sh("echo log > \"$STM_LOG\""), log, dir.resolve("made.out"), LONG);
        assertEquals(0, run.run());
        assertEquals("log\n", Files.readString(log));
    }

    @Test
    void aChildThatOutlivesItsTimeoutIsDestroyed() throws Exception {
        Path console = dir.resolve("slow.out");
        RecordedRun run = RecordedRun.toFile(sh("echo $$; exec sleep 60"), dir.resolve("slow.stmlog"), console,
                Duration.ofMillis(300));
        RecordedRun.TimedOut e = assertThrows(RecordedRun.TimedOut.class, run::run);
        assertEquals("/bin/sh -c echo $$; exec sleep 60: still running after 300ms; stopped", e.getMessage());
        long pid = Long.parseLong(Files.readString(console).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child is gone");
    }

    @Test
    void theGrandchildrenAreDestroyedToo() throws Exception {
        Path console = dir.resolve("tree.out");
        // the shell waits on a sleep of its own, which prints its pid first
        RecordedRun run = RecordedRun.toFile(sh("sh -c 'echo $$; exec sleep 60'; true"), dir.resolve("tree.stmlog"), console,
                Duration.ofMillis(500));
        assertThrows(RecordedRun.TimedOut.class, run::run);
        long grandchild = Long.parseLong(Files.readString(console).strip());
        // not this process's child: it is gone once something else has reaped it
        ProcessHandle.of(grandchild).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "the grandchild is gone");
    }

    @Test
    void anInterruptedWaitDestroysTheChild() throws Exception {
        Path console = dir.resolve("stopped.out");
        RecordedRun run = RecordedRun.toFile(sh("echo $$; exec sleep 60"), dir.resolve("stopped.stmlog"), console, LONG);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, run::run);
        assertFalse(Thread.interrupted(), "the interrupt was taken by the wait");
        String pid = Files.readString(console).strip();
        // the child may have been stopped before it could print its pid
        if (!pid.isEmpty()) assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aCommandThatCannotStart() {
        RecordedRun run = RecordedRun.toFile(List.of(dir.resolve("no-such-program").toString()), dir.resolve("x.stmlog"),
                dir.resolve("x.out"), LONG);
        assertThrows(IOException.class, run::run);
    }

    @Test
    void timeoutsAreWrittenAsTheyAreTaken() {
        assertEquals("60m", RecordedRun.describe(Duration.ofMinutes(60)));
        assertEquals("90s", RecordedRun.describe(Duration.ofSeconds(90)));
        assertEquals("250ms", RecordedRun.describe(Duration.ofMillis(250)));
        assertEquals("7ns", RecordedRun.describe(Duration.ofNanos(7)));
    }
}
