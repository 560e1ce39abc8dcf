package dev.stmlog.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The write set's shortcuts: the bit per hash that answers lookups of absent Refs, the value
 * slots it clears only when something boxed was put, and the straight-line clearing of a few slots.
 */
class WriteSetTest {

    @Test
    void aRefWhoseHashBitIsTakenIsStillFoundAbsentAndPresentOnesAreFound() {
        Ref<Integer> a = new Ref<>(1, "a");
        Ref<Integer> twin = refWithHashBitOf(a);
        WriteSet ws = new WriteSet();
        ws.put(a, 2);
        assertEquals(0, ws.indexOf(a));
        assertEquals(-1, ws.indexOf(twin), "same bit, not in the set: the scan must answer");
        ws.put(twin, 3);
        assertEquals(1, ws.indexOf(twin));
        assertEquals(0, ws.indexOf(a));
        ws.clear();
        assertEquals(-1, ws.indexOf(a));
        assertEquals(-1, ws.indexOf(twin));
    }

    @Test
    void lookupsStayRightPastTheLinearLimit() {
        WriteSet ws = new WriteSet();
        List<Ref<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Ref<Integer> r = new Ref<>(i);
            refs.add(r);
            ws.put(r, i);
        }
        for (int i = 0; i < refs.size(); i++) {
            assertEquals(i, ws.indexOf(refs.get(i)));
            assertEquals(i, ws.value(i));
        }
        assertEquals(-1, ws.indexOf(new Ref<>(0)));
    }

    @Test
    void aBoxedValueSetOverAnUnboxedOneIsClearedWithTheSet() {
        TLong t = new TLong(1);
        WriteSet ws = new WriteSet();
        ws.putLong(t, 5);
        ws.set(0, 7L); // as a commute over the buffered value does
        assertEquals(7L, ws.value(0));
        ws.clear();
        TLong u = new TLong(1);
        ws.putLong(u, 9); // the same slot: its value must be the unboxed 9, not the stale 7
        assertNull(ws.values[0]);
        assertEquals(9L, ws.value(0));
    }

    @Test
    void aCommuteOverASetTLongCommitsAndTheNextTransactionSeesItsOwnValues() {
        TLong t = new TLong(10);
        TLong u = new TLong(100);
        Stm.run(tx -> {
            t.setLong(tx, 11);
            t.commute(v -> v + 1); // boxed over the unboxed 11
        });
        Stm.run(tx -> u.setLong(tx, u.getLong(tx) + 1)); // reuses the slot t's value was in
        assertEquals(12L, t.getLong());
        assertEquals(101L, u.getLong());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 9})
    void clearNullsTheFirstNSlotsAndNoOther(int n) {
        Object[] a = new Object[12];
        Arrays.fill(a, "x");
        ReadSet.clear(a, n);
        for (int i = 0; i < a.length; i++) {
            if (i < n) {
                assertNull(a[i], "slot " + i);
            } else {
                assertSame("x", a[i], "slot " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 20})
    void clearedSetsHoldNoReference(int n) {
        WriteSet ws = new WriteSet();
        for (int i = 0; i < n; i++) {
            ws.put(new Ref<>(i), i);
            ws.putLong(new TLong(i), i);
        }
        ws.clear();
        assertEquals(0, ws.size);
        for (Object o : ws.refs) {
            assertNull(o);
        }
        for (Object o : ws.values) {
            assertNull(o);
        }
    }

    /** A new Ref whose hash has the same low 6 bits as {@code r}'s (one in 64 does). */
    private static Ref<Integer> refWithHashBitOf(Ref<?> r) {
        for (;;) {
            Ref<Integer> s = new Ref<>(0);
            if (((s.hash ^ r.hash) & 63) == 0) {
                return s;
            }
        }
    }
}
