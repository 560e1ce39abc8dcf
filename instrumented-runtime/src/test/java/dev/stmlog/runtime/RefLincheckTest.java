package dev.stmlog.runtime;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Serializability of transactions over two Refs, checked by Lincheck against plain fields. Every
 * operation is one {@code Stm.atomic} transaction; {@code transfer} moves one unit from
 * {@code a} to {@code b}, and {@code sum} reads both in one transaction.
 */
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class RefLincheckTest {

    private final Ref<Integer> a = new Ref<>(0, "a");
    private final Ref<Integer> b = new Ref<>(0, "b");

    @Operation
    public int get() {
        return Stm.atomic(() -> a.get());
    }

    @Operation
    public void set(@Param(name = "value") int value) {
        Stm.atomic(() -> a.set(value));
    }

    @Operation
    public int increment() {
        return Stm.atomic(() -> a.update(x -> x + 1));
    }

    @Operation
    public void transfer() {
        Stm.atomic(() -> {
            a.set(a.get() - 1);
            b.set(b.get() + 1);
        });
    }

    @Operation
    public int sum() {
        return Stm.atomic(() -> a.get() + b.get());
    }

    @Operation
    public int getB() {
        return Stm.atomic(() -> b.get());
    }

    @Test
    void stress() {
        LincheckSupport.stress(Spec.class).check(getClass());
    }

    /**
     * Besides the random scenarios, the two that need one badly placed switch to break the
     * protocol: two increments in parallel (both return 1 if a commit stops validating its reads)
     * and a transfer in parallel with a sum (the sum sees half of it if a read accepts a version
     * newer than the snapshot).
     */
    @Test
    void modelChecking() {
        LincheckSupport.modelChecking(Spec.class, 5)
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("increment"), actor("increment"), null))
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("transfer"), actor("sum"), null))
                .check(getClass());
    }

    private static Actor actor(String name) {
        return LincheckSupport.actor(RefLincheckTest.class, name);
    }

    /** The sequential specification: plain fields. */
    public static class Spec {
        private int a;
        private int b;

        public int get() {
            return a;
        }

        public void set(int value) {
            a = value;
        }

        public int increment() {
            return ++a;
        }

        public void transfer() {
            a--;
            b++;
        }

        public int sum() {
            return a + b;
        }

        public int getB() {
            return b;
        }
    }
}
