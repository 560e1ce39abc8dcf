package dev.stmlog.analyzer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogWindowTest {
    @Test
    void theWindowInALogThatStartsLater() {
        LogWindow w = LogWindow.of(new AnalysisOptions(Grouping.SITE, 1, 100, 200, null), 30);
        assertEquals(new LogWindow(70, 170), w);
        assertFalse(w.contains(69));
        assertTrue(w.contains(70), "the start is in");
        assertTrue(w.contains(169));
        assertFalse(w.contains(170), "the end is out");
    }

    @Test
    void noEndStaysNoEnd() {
        LogWindow w = LogWindow.of(AnalysisOptions.defaults(), 1_000);
        assertEquals(Long.MAX_VALUE, w.to());
        assertTrue(w.contains(Long.MAX_VALUE - 1));
        assertTrue(w.contains(-1_000));
        assertFalse(w.contains(-1_001));
    }
}
