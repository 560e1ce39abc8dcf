package dev.stmlog.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A tick that throws is a recorder bug: reported once, and the clock stops (it used to tick on silently). */
class CoarseClockTest {

    @Test
    void aFailingTickIsReportedOnceAndStopsTheClock() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        RuntimeException bug = new IllegalStateException("sampler bug");
        List<Throwable> failures = new ArrayList<>();
        Thread clock = CoarseClock.start((now, dt) -> {
            if (ticks.incrementAndGet() >= 3) throw bug;
        }, () -> { }, e -> {
            synchronized (failures) {
                failures.add(e);
            }
        });
        clock.join(60_000);
        assertFalse(clock.isAlive(), "the clock ticks on after a failure");
        synchronized (failures) {
            assertEquals(1, failures.size());
            assertSame(bug, failures.get(0));
        }
        assertEquals(3, ticks.get(), "no tick after the failure");
    }
}
