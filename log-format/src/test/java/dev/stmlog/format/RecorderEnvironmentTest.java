package dev.stmlog.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecorderEnvironmentTest {
    private static final Instant START = Instant.parse("2026-12-05T10:15:30Z");

    @Test
    void percentPIsThePidAndPercentTTheStartTime(@TempDir Path dir) {
        Path p = RecorderEnvironment.logPath(dir.resolve("app-%p.stmlog").toString(), 4242, START);
        assertEquals(dir.resolve("app-4242.stmlog"), p);
        Path t = RecorderEnvironment.logPath(dir.resolve("app-%t.stmlog").toString(), 1, START);
        assertTrue(t.getFileName().toString().matches("app-\\d{8}-\\d{6}\\.stmlog"), t.toString());
    }

    @Test
    void aDirectoryGetsAFileNamedByPidAndTime(@TempDir Path dir) {
        Path existing = RecorderEnvironment.logPath(dir.toString(), 7, START);
        assertEquals(dir, existing.getParent());
        assertTrue(existing.getFileName().toString().matches("stm-7-\\d{8}-\\d{6}\\.stmlog"), existing.toString());
        Path byName = RecorderEnvironment.logPath(dir.resolve("new") + "/", 7, START);
        assertEquals(dir.resolve("new"), byName.getParent());
    }

    @Test
    void aSettingThatIsUnsetIsItsDefault() {
        assertEquals(17, RecorderEnvironment.longSetting("STMLOG_TEST_SETTING_NEVER_SET", 17));
    }
}
