package dev.stmlog.runtime;

import dev.stmlog.runtime.recording.JfrPlanted;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR events, recorded in this JVM (STM_LOG unset: JFR alone) with {@link Recording}, read
 * back with {@link RecordingFile}. The conflicts are forced ({@link JfrPlanted}).
 */
@Timeout(60)
class JfrEventsTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/stmlog/runtime/recording/JfrPlanted.java");
    private static int readLine, writeLine, inevitableLine;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPlantedLines() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// planted: read")) readLine = i + 1;
            if (lines.get(i).endsWith("// planted: write")) writeLine = i + 1;
            if (lines.get(i).endsWith("// planted: inevitable")) inevitableLine = i + 1;
        }
        assertTrue(readLine > 0 && writeLine > readLine && inevitableLine > 0);
    }

    /** The listener is registered in the background: a recording started before it would be seen a little later. */
    @BeforeEach
    void listening() throws InterruptedException {
        Jfr.awaitListener();
    }

    private static boolean topAt(String frames, int line) {
        return frames != null && frames.split("\n")[0].endsWith("(JfrPlanted.java:" + line + ")");
    }

    private List<RecordedEvent> events(Path file, String name) throws IOException {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    /**
     * Every forced conflict is one dev.stmlog.Conflict event naming the victim's read, committed
     * once the re-run has read again; from the third round on, the other side's write is known
     * (each thread's write is asked for at the first conflict it is the other side of, and is
     * seen at its next one: the first two conflicts name it only if a sampled write shows it);
     * from the second on, what the other side's commit did and how long its attempt ran.
     */
    @Test
    void conflictEventsNameTheReadAndTheWrite() throws Exception {
        int rounds = 4;
        Path file = dir.resolve("planted.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.stmlog.Conflict");
            r.enable("dev.stmlog.Transaction").withThreshold(Duration.ZERO);
            r.start();
            assertTrue(Jfr.isRunning());
            assertEquals(2L * rounds, JfrPlanted.twoLine(rounds, w -> { }));
            r.stop();
            r.dump(file);
        }
        assertFalse(Jfr.isRunning());
        assertFalse(ConflictSites.anyRefContended(), "access sites are sampled no more once the recording stopped");
        List<RecordedEvent> conflicts = events(file, "dev.stmlog.Conflict");
        assertEquals(rounds, conflicts.size(), conflicts::toString);
        for (int i = 0; i < conflicts.size(); i++) {
            RecordedEvent c = conflicts.get(i);
            assertEquals("WRITE_READ", c.getString("kind"), c::toString);
            assertEquals("planted", c.getString("refLabel"), c::toString);
            assertTrue(c.getLong("refId") > 0, c::toString);
            assertEquals(1, c.getInt("attempt"), c::toString);
            assertTrue(topAt(c.getString("victimFrames"), readLine), c::toString);
            assertTrue(c.getLong("lostTime") > 0, c::toString);
            assertNull(c.getStackTrace(), "no JFR stack: it would be the STM's");
        }
        long named = conflicts.stream().filter(c -> topAt(c.getString("otherFrames"), writeLine)).count();
        assertTrue(named >= rounds - 2, conflicts::toString);
        // The first conflict makes the Ref contended; from then on the other side's commits keep
        // what they did (v + 1 over v: changed) and how long their attempt ran (each other side
        // was the victim the round before, so its attempts are timed).
        assertEquals(1, conflicts.stream().filter(c -> c.getString("otherChange").equals("NOT_KNOWN")
                && c.getDuration("otherAttemptTime").isZero()).count(), conflicts::toString);
        assertEquals(rounds - 1, conflicts.stream().filter(c -> c.getString("otherChange").equals("CHANGED")
                && c.getDuration("otherAttemptTime").toNanos() > 0).count(), conflicts::toString);
        List<RecordedEvent> txs = events(file, "dev.stmlog.Transaction");
        assertEquals(rounds, txs.stream().mapToInt(t -> t.getInt("conflicts")).sum(), txs::toString);
        assertTrue(txs.stream().allMatch(t -> t.getString("outcome").equals("committed")), txs::toString);
        assertTrue(txs.size() >= 2 * rounds, txs::toString);
    }

    /** The Inevitable event names the Stm.inevitable() call and lasts until the commit. */
    @Test
    void inevitableEventNamesTheCall() throws Exception {
        Path file = dir.resolve("inevitable.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.stmlog.Inevitable");
            r.start();
            TestSupport.inOtherThread(() -> JfrPlanted.inevitable(new Ref<>(0L)));
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> inev = events(file, "dev.stmlog.Inevitable");
        assertEquals(1, inev.size(), inev::toString);
        assertTrue(topAt(inev.get(0).getString("site"), inevitableLine), inev::toString);
        assertFalse(inev.get(0).getBoolean("escalated"));
    }

    /**
     * With no recording the JFR code is not reached: the threads that had the conflicts have no
     * JFR state (the first thing its slow paths create), and access sites are not sampled.
     */
    @Test
    void withoutARecordingNothingIsReached() throws Exception {
        assertFalse(Jfr.isRunning());
        Map<Integer, Boolean> hasState = new ConcurrentHashMap<>();
        JfrPlanted.twoLine(3, w -> hasState.put(w, CurrentTxn.get().jfr != null));
        assertEquals(Map.of(0, false, 1, false), hasState);
        assertFalse(ConflictSites.anyRefContended());
    }

    /** A recording that does not enable the STM's events gets none, and the STM runs as usual. */
    @Test
    void aRecordingWithTheEventsDisabledGetsNone() throws Exception {
        Path file = dir.resolve("disabled.jfr");
        try (Recording r = new Recording()) {
            r.disable("dev.stmlog.Conflict");
            r.disable("dev.stmlog.Transaction");
            r.disable("dev.stmlog.Inevitable");
            r.enable("jdk.JavaMonitorWait");
            r.start();
            assertEquals(6L, JfrPlanted.twoLine(3, w -> { }));
            r.stop();
            r.dump(file);
        }
        assertNotNull(file);
        assertTrue(RecordingFile.readAllEvents(file).stream().noneMatch(e -> e.getEventType().getName().startsWith("dev.stmlog.")));
    }
}
