package dev.stmlog.analyzer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.analyzer.Json;
import dev.stmlog.reports.export.ChromeTraceWriter;
import dev.stmlog.reports.export.CollapsedWriter;
import dev.stmlog.reports.export.SpeedscopeWriter;
import dev.stmlog.reports.export.StackProfile;
import dev.stmlog.reports.export.StackProfile.Frame;
import dev.stmlog.reports.export.StackProfile.Sample;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export writers on their own: what each format's readers need, and escaping. */
class ExportWritersTest {
    private static final String HOSTILE = "</script><b>\"x\"&y;z\nw";

    private static final StackProfile PROFILE = new StackProfile("all threads", List.of(
            new Sample(List.of(Frame.pseudo("WRITE_READ"), new Frame("App.main", "App.java", 10),
                    new Frame("App.transfer", "App.java", 42)), 5_000),
            new Sample(List.of(Frame.pseudo("WRITE_READ"), new Frame("App.main", "App.java", 10),
                    new Frame("App.transfer", "App.java", 42)), 2_000),
            new Sample(List.of(Frame.pseudo("INEVITABLE"), new Frame(HOSTILE, null, -1)), 3_000)));

    @Test
    void collapsedStacksAreOneLinePerStackRootFirstWithTheirTotal() throws IOException {
        StringBuilder out = new StringBuilder();
        new CollapsedWriter().write(PROFILE, out);
        assertEquals("WRITE_READ;App.main(App.java:10);App.transfer(App.java:42) 7000\n"
                + "INEVITABLE;</script><b>\"x\"&y_z_w 3000\n", out.toString());
    }

    @Test
    void speedscopeFileSharesFramesAndWeighsSamplesInNanoseconds() {
        StringBuilder out = new StringBuilder();
        new SpeedscopeWriter().write("run " + HOSTILE, List.of(PROFILE), out);
        Map<String, Object> file = Json.object(out.toString());
        assertEquals("https://www.speedscope.app/file-format-schema.json", file.get("$schema"));
        assertEquals("run " + HOSTILE, file.get("name"));
        List<?> frames = (List<?>) ((Map<?, ?>) file.get("shared")).get("frames");
        assertEquals(5, frames.size(), "each distinct frame once");
        assertEquals(Map.of("name", "App.transfer", "file", "App.java", "line", BigDecimal.valueOf(42)), frames.get(2));
        Map<?, ?> profile = (Map<?, ?>) ((List<?>) file.get("profiles")).get(0);
        assertEquals("sampled", profile.get("type"));
        assertEquals("nanoseconds", profile.get("unit"));
        assertEquals(BigDecimal.valueOf(10_000), profile.get("endValue"));
        assertEquals(List.of(List.of(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.valueOf(2)),
                List.of(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.valueOf(2)),
                List.of(BigDecimal.valueOf(3), BigDecimal.valueOf(4))), profile.get("samples"));
        assertEquals(List.of(BigDecimal.valueOf(5_000), BigDecimal.valueOf(2_000), BigDecimal.valueOf(3_000)),
                profile.get("weights"));
        assertFalse(out.toString().contains("</script>"), "escaped for embedding in HTML too");
    }

    @Test
    void chromeTraceIsValidJsonWithMicrosecondTimesAndEscapedStrings() {
        StringBuilder out = new StringBuilder();
        ChromeTraceWriter w = new ChromeTraceWriter(out);
        w.processName(1, "app.stmlog " + HOSTILE);
        w.threadName(1, 7, HOSTILE);
        w.slice(1, 7, "abort: WRITE_READ", "attempt", 1_234_567, 8, ChromeTraceWriter.Colour.BAD,
                Map.of("ref", HOSTILE));
        w.instant(1, 7, "GC pause", "gc", 5, true, Map.of());
        w.counter(1, "quiet commits: " + HOSTILE, 2_000, Map.of("commits", 3L));
        w.flow(1, "WRITE_READ", 1, 8, 1_000_000, 7, 1_234_570);
        w.finish(Map.of("files", List.of(HOSTILE)));
        assertFalse(out.toString().contains("</script>"));
        Map<String, Object> trace = Json.object(out.toString());
        List<?> events = (List<?>) trace.get("traceEvents");
        assertEquals(7, events.size());
        Map<?, ?> slice = (Map<?, ?>) events.get(2);
        assertEquals("X", slice.get("ph"));
        assertEquals(new BigDecimal("1234.567"), slice.get("ts"));
        assertEquals(new BigDecimal("0.008"), slice.get("dur"));
        assertEquals("terrible", slice.get("cname"));
        assertEquals(HOSTILE, ((Map<?, ?>) slice.get("args")).get("ref"));
        assertEquals(HOSTILE, ((Map<?, ?>) ((Map<?, ?>) events.get(1)).get("args")).get("name"));
        Map<?, ?> flowEnd = (Map<?, ?>) events.get(6);
        assertEquals("f", flowEnd.get("ph"));
        assertEquals("e", flowEnd.get("bp"));
        assertTrue(out.toString().startsWith("{\"displayTimeUnit\":\"ns\",\"traceEvents\":["));
        assertEquals(List.of(HOSTILE), ((Map<?, ?>) trace.get("otherData")).get("files"));
    }

    @Test
    void profilesRefuseWhatNoViewerCouldShow() {
        assertThrows(IllegalArgumentException.class, () -> new Sample(List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new Sample(List.of(Frame.pseudo("x")), -1));
    }
}
