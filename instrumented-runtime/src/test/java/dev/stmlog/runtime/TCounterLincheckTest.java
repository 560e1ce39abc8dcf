package dev.stmlog.runtime;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Serializability of commutative updates, checked by Lincheck against plain fields: a
 * {@link TCounter} {@code c} of two stripes (Lincheck's two threads may or may not share one,
 * so both a contended stripe and a sum over stripes written by others are exercised) and a Ref
 * {@code r}, commuted ({@code commuteRef}) and written. Every operation is one transaction;
 * {@code move} takes one unit from the counter to {@code r}, {@code sum} reads both, and
 * {@code incrementAndGet} reads the counter after its own increment (which turns that stripe's
 * commute into an ordinary update).
 */
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class TCounterLincheckTest {

    private final TCounter c = new TCounter("c", 2);
    private final Ref<Integer> r = new Ref<>(0, "r");

    @Operation
    public void increment() {
        Stm.atomic(() -> c.increment());
    }

    @Operation
    public void add(@Param(name = "value") int value) {
        Stm.atomic(() -> c.add(value));
    }

    @Operation
    public long get() {
        return c.get();
    }

    @Operation
    public long incrementAndGet() {
        return Stm.atomic(() -> {
            c.increment();
            return c.get();
        });
    }

    @Operation
    public void move() {
        Stm.atomic(() -> {
            c.decrement();
            r.set(r.get() + 1);
        });
    }

    @Operation
    public long sum() {
        return Stm.atomic(() -> c.get() + r.get());
    }

    @Operation
    public void commuteRef() {
        r.commute(v -> v + 1);
    }

    @Operation
    public int getRef() {
        return r.get();
    }

    @Test
    void stress() {
        LincheckSupport.stress(Spec.class).check(getClass());
    }

    /**
     * Besides the random scenarios: two commutes of one Ref in parallel (one is lost if a
     * function is applied to a value read before the commit instead of the one committed then),
     * and a move in parallel with a sum (the sum sees half of it if the counter's read is not
     * part of the snapshot).
     */
    @Test
    void modelChecking() {
        LincheckSupport.modelChecking(Spec.class, 5)
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("commuteRef"), actor("commuteRef"), actor("getRef")))
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("incrementAndGet"), actor("incrementAndGet"), actor("get")))
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("move"), actor("sum"), null))
                .check(getClass());
    }

    private static Actor actor(String name) {
        return LincheckSupport.actor(TCounterLincheckTest.class, name);
    }

    /** The sequential specification: plain fields. */
    public static class Spec {
        private long c;
        private int r;

        public void increment() {
            c++;
        }

        public void add(int value) {
            c += value;
        }

        public long get() {
            return c;
        }

        public long incrementAndGet() {
            return ++c;
        }

        public void move() {
            c--;
            r++;
        }

        public long sum() {
            return c + r;
        }

        public void commuteRef() {
            r++;
        }

        public int getRef() {
            return r;
        }
    }
}
