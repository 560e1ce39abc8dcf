package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Serializability of TMap operations, checked by Lincheck against a TreeMap. Keys are drawn from
 * {1, 17, 2}: 1 and 17 share a presence stripe (see TMapWholeMapReadTest), so inserts and
 * whole-map reads conflict often. {@code putThenSize} writes a key and then reads the whole map
 * in the same transaction; besides the random scenarios, both modes always include the one
 * where two such transactions insert 1 and 17 in parallel (if whole-map reads stop validating
 * the stripes their transaction wrote, stress mode fails on it within a second or two, model
 * checking at its 19th interleaving). {@code sweep} retires the slots of absent keys; it must
 * change no result.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "0:2")
public class TMapLincheckTest {

    private static final int[] KEYS = {1, 17, 2};

    private final TMap<Integer, Integer> map = new TMap<>("m");

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(KEYS[key], value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(KEYS[key]);
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(KEYS[key]);
    }

    @Operation
    public int size() {
        return map.size();
    }

    @Operation
    public List<Integer> keys() {
        List<Integer> keys = new ArrayList<>(map.keys());
        Collections.sort(keys);
        return keys;
    }

    /** Reclaims slots of absent keys (see TMap's class comment): invisible to the others. */
    @Operation
    public void sweep() {
        map.sweep();
    }

    @Operation
    public int putThenSize(@Param(name = "key") int key, @Param(name = "value") int value) {
        return Stm.atomic(() -> {
            map.put(KEYS[key], value);
            return map.size();
        });
    }

    @Test
    void stress() {
        LincheckSupport.stress(Spec.class)
                .addCustomScenario(insertsIntoOneStripe())
                .check(getClass());
    }

    /** Fewer random scenarios than for Ref: an invocation costs more than twice as much here. */
    @Test
    void modelChecking() {
        LincheckSupport.modelChecking(Spec.class, 3)
                .addCustomScenario(insertsIntoOneStripe())
                .check(getClass());
    }

    /**
     * Two transactions each insert a key of the same presence stripe (1 and 17) and read
     * {@code size()}; then the size is read. Without validation of the stripes a transaction
     * wrote itself, both saw 1 and both committed.
     */
    private static ExecutionScenario insertsIntoOneStripe() {
        return LincheckSupport.inParallel(
                LincheckSupport.actor(TMapLincheckTest.class, "putThenSize", 0, 0),
                LincheckSupport.actor(TMapLincheckTest.class, "putThenSize", 1, 0),
                LincheckSupport.actor(TMapLincheckTest.class, "size"));
    }

    /** The sequential specification: a TreeMap. */
    public static class Spec {
        private final TreeMap<Integer, Integer> map = new TreeMap<>();

        public Integer put(int key, int value) {
            return map.put(KEYS[key], value);
        }

        public Integer remove(int key) {
            return map.remove(KEYS[key]);
        }

        public Integer get(int key) {
            return map.get(KEYS[key]);
        }

        public int size() {
            return map.size();
        }

        public List<Integer> keys() {
            return new ArrayList<>(map.keySet());
        }

        public void sweep() {
        }

        public int putThenSize(int key, int value) {
            map.put(KEYS[key], value);
            return map.size();
        }
    }
}
