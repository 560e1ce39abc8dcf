package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import dev.stmlog.analyzer.TestLog;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames, labels and names from a log can hold anything: the JSON stays valid and says the same. */
class JsonEscapingTest {
    @TempDir
    Path dir;

    static final String NASTY_CLASS = "com.ex\"ample\\Evil</script><script>alert(1)</script>";
    static final String NASTY_METHOD = "m\u0001\n\t\u001b[31m\u2028";
    static final String NASTY_LABEL = "</script>\"label\"\\\u0000\r\u007f é 🙂";
    static final String NASTY_NAME = "worker \"1\"\\\u0007";

    @Test
    void outputIsValidAndEscaped() throws IOException {
        Frame victim = new Frame(NASTY_CLASS, NASTY_METHOD, "Evil\".java", 3);
        Frame other = new Frame("x.Y", "z", null, -1);
        Path log = new TestLog().name(1, NASTY_NAME)
                .start(1, 10 * MS)
                .contention(1, 11 * MS, ContentionKind.WRITE_WRITE, 2, List.of(victim), List.of(other), NASTY_LABEL)
                .abort(1, 12 * MS)
                .write(dir.resolve("nasty.stmlog"));
        for (String by : List.of("site", "ref", "thread")) {
            Cli.Result r = Cli.run("top", "--format", "json", "--by", by, log.toString());
            assertEquals(0, r.status(), r.err());
            assertFalse(r.out().contains("</script>"), r.out());
            assertFalse(r.out().chars().anyMatch(c -> c < 0x20 && c != '\n'), "raw control characters");
            Map<String, Object> json = Json.object(r.out());
            Map<String, Object> site = TopCommandTest.sites(json).get(0);
            switch (by) {
                case "site" -> {
                    assertEquals(List.of(victim.toString()), site.get("frames"));
                    assertEquals(List.of("x.Y.z(Unknown Source)"), site.get("other_frames"));
                }
                case "ref" -> assertEquals(NASTY_LABEL, site.get("key"));
                default -> assertEquals("1 " + NASTY_NAME, site.get("key"));
            }
        }
        Cli.Result print = Cli.run("print", "--format", "json", "--type", "contention", log.toString());
        Map<String, Object> event = Json.object(print.out().strip());
        assertEquals(NASTY_LABEL, event.get("label"));
        assertEquals(NASTY_NAME, event.get("thread_name"));

        Cli.Result text = Cli.run("top", log.toString());
        assertFalse(text.out().contains("\u001b"), "a log must not drive the terminal");
        assertTrue(text.out().contains("com.ex\"ample"), text.out());
    }
}
