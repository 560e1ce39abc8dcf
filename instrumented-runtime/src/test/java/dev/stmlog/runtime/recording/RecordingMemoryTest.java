package dev.stmlog.runtime.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With recording on, the recorder does not keep Refs reachable that the program dropped. */
class RecordingMemoryTest {

    private static final int ROUNDS = 200;

    @Test
    void contendedRefsDroppedByTheProgramAreCollected(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DroppedContendedRefs.class.getName(), Integer.toString(ROUNDS));
        pb.environment().put("STM_LOG", dir.resolve("dropped.stmlog").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("stmlog: recorded"), "recording was on: " + err);
        assertEquals("conflicts=" + ROUNDS + " cleared=" + ROUNDS, out.trim());
    }
}
