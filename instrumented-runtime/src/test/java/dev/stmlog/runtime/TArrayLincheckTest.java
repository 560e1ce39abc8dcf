package dev.stmlog.runtime;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Serializability of TArray cell operations over three cells, checked by Lincheck against a plain
 * int array; {@code move} and {@code sum} touch two cells in one transaction.
 */
@Param(name = "index", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class TArrayLincheckTest {

    private final TArray<Integer> cells = new TArray<>(3, 0, "cells");

    @Operation
    public int get(@Param(name = "index") int i) {
        return Stm.atomic(() -> cells.get(i));
    }

    @Operation
    public void set(@Param(name = "index") int i, @Param(name = "value") int value) {
        Stm.atomic(() -> cells.set(i, value));
    }

    @Operation
    public int increment(@Param(name = "index") int i) {
        return Stm.atomic(() -> cells.update(i, x -> x + 1));
    }

    /** Moves one unit from cell {@code i} to the next cell. */
    @Operation
    public void move(@Param(name = "index") int i) {
        Stm.atomic(() -> {
            int j = (i + 1) % 3;
            cells.set(i, cells.get(i) - 1);
            cells.set(j, cells.get(j) + 1);
        });
    }

    @Operation
    public int sum() {
        return Stm.atomic(() -> cells.get(0) + cells.get(1) + cells.get(2));
    }

    @Test
    void stress() {
        LincheckSupport.stress(Spec.class).check(getClass());
    }

    @Test
    void modelChecking() {
        LincheckSupport.modelChecking(Spec.class, 5).check(getClass());
    }

    /** The sequential specification: a plain array. */
    public static class Spec {
        private final int[] cells = new int[3];

        public int get(int i) {
            return cells[i];
        }

        public void set(int i, int value) {
            cells[i] = value;
        }

        public int increment(int i) {
            return ++cells[i];
        }

        public void move(int i) {
            int j = (i + 1) % 3;
            cells[i]--;
            cells[j]++;
        }

        public int sum() {
            return cells[0] + cells[1] + cells[2];
        }
    }
}
