package dev.stmlog.runtime;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Serializability of transactions over two {@link TLong}s, checked by Lincheck against plain
 * fields, as {@link RefLincheckTest} does for Refs: the unboxed accesses ({@code getLong(tx)},
 * {@code setLong(tx, v)}) through {@link Stm#run}, and, on the same TLongs, the inherited boxed
 * ones ({@code update}, {@code commute}) mixed with them in one transaction.
 */
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class TLongLincheckTest {

    private final TLong a = new TLong(0, "a");
    private final TLong b = new TLong(0, "b");

    @Operation
    public long get() {
        return Stm.call(tx -> a.getLong(tx));
    }

    @Operation
    public void set(@Param(name = "value") int value) {
        Stm.run(tx -> a.setLong(tx, value));
    }

    @Operation
    public long increment() {
        return Stm.call(tx -> {
            long next = a.getLong(tx) + 1;
            a.setLong(tx, next);
            return next;
        });
    }

    /** The boxed update, then the unboxed read of the value it buffered. */
    @Operation
    public long incrementBoxed() {
        return Stm.call(tx -> {
            a.update(v -> v + 1);
            return a.getLong(tx);
        });
    }

    @Operation
    public void commuteB() {
        Stm.run(tx -> b.commute(tx, v -> v + 2));
    }

    @Operation
    public void transfer() {
        Stm.run(tx -> {
            a.setLong(tx, a.getLong(tx) - 1);
            b.setLong(tx, b.getLong(tx) + 1);
        });
    }

    @Operation
    public long sum() {
        return Stm.call(tx -> a.getLong(tx) + b.getLong(tx));
    }

    @Test
    void stress() {
        LincheckSupport.stress(Spec.class).check(getClass());
    }

    /** The scenarios of {@link RefLincheckTest#modelChecking}, on the unboxed accesses. */
    @Test
    void modelChecking() {
        LincheckSupport.modelChecking(Spec.class, 5)
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("increment"), actor("increment"), null))
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("transfer"), actor("sum"), null))
                .addCustomScenario(
                        LincheckSupport.inParallel(actor("transfer"), actor("commuteB"), actor("sum")))
                .check(getClass());
    }

    private static Actor actor(String name) {
        return LincheckSupport.actor(TLongLincheckTest.class, name);
    }

    /** The sequential specification: plain fields. */
    public static class Spec {
        private long a;
        private long b;

        public long get() {
            return a;
        }

        public void set(int value) {
            a = value;
        }

        public long increment() {
            return ++a;
        }

        public long incrementBoxed() {
            return ++a;
        }

        public void commuteB() {
            b += 2;
        }

        public void transfer() {
            a--;
            b++;
        }

        public long sum() {
            return a + b;
        }
    }
}
