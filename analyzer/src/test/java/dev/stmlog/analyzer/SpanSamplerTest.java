package dev.stmlog.analyzer;

import dev.stmlog.reports.SpanView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpanSamplerTest {
    @Test
    void keepsAllUntilFullThenAnEvenSample() {
        SpanSampler s = new SpanSampler(100);
        for (int i = 0; i < 100; i++) s.add(i * 10L, i * 10L + 5, SpanSampler.COMMITTED);
        assertEquals(1, s.stride());
        assertEquals(100, s.spans(0).size());
        for (int i = 100; i < 1_000_000; i++) s.add(i * 10L, i * 10L + 5, (byte) (i % 4));
        List<SpanView> kept = s.spans(1000);
        assertTrue(kept.size() <= 100 && kept.size() >= 50, "kept " + kept.size());
        assertEquals(1_000_000, s.seen);
        assertTrue(s.stride() >= 10_000, "stride " + s.stride());
        // spread over the whole run, in order, shifted by the offset
        assertEquals(1000, kept.get(0).startNanos());
        assertTrue(kept.get(kept.size() - 1).startNanos() > 9_000_000L, kept.get(kept.size() - 1).toString());
        for (int i = 1; i < kept.size(); i++) assertTrue(kept.get(i).startNanos() > kept.get(i - 1).startNanos());
        long gap = kept.get(2).startNanos() - kept.get(1).startNanos();
        for (int i = 2; i < kept.size(); i++) assertEquals(gap, kept.get(i).startNanos() - kept.get(i - 1).startNanos());
    }
}
