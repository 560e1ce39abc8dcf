package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TMapTest {

    @Test
    void mapOperations() {
        TMap<String, Integer> m = new TMap<>("m");
        assertTrue(m.isEmpty());
        assertNull(m.put("a", 1));
        assertEquals(1, m.put("a", 2));
        assertEquals(2, m.get("a"));
        assertNull(m.get("missing"));
        assertEquals(5, m.getOrDefault("missing", 5));
        assertTrue(m.containsKey("a"));
        assertFalse(m.containsKey("b"));
        assertEquals(2, m.putIfAbsent("a", 3));
        assertNull(m.putIfAbsent("b", 3));
        assertEquals(7, m.computeIfAbsent("c", k -> 7));
        assertEquals(7, m.computeIfAbsent("c", k -> 8));
        assertNull(m.computeIfAbsent("d", k -> null));
        assertEquals(3, m.size());
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(m.keys()));
        assertEquals(Map.of("a", 2, "b", 3, "c", 7), m.snapshot());
        assertEquals(2, m.remove("a"));
        assertNull(m.remove("a"));
        assertFalse(m.containsKey("a"));
        assertEquals(2, m.size());
        int[] sum = new int[1];
        m.forEach((k, v) -> sum[0] += v);
        assertEquals(10, sum[0]);
        assertThrows(NullPointerException.class, () -> m.put(null, 1));
        assertThrows(NullPointerException.class, () -> m.put("x", null));
    }

    @Test
    void operationsJoinTheEnclosingTransaction() {
        TMap<String, Integer> m = new TMap<>();
        assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
            m.put("a", 1);
            assertEquals(1, m.get("a"));
            assertEquals(1, m.size());
            throw new IllegalStateException("roll back");
        }));
        assertFalse(m.containsKey("a"));
        assertEquals(0, m.size());
    }

    /**
     * T1 runs {@code first}, then (mid-transaction) T2 runs {@code second} on another thread and
     * commits, then T1 tries to commit. Returns T1's number of attempts.
     */
    private static int interleave(TMap<Integer, Integer> m, Consumer<TMap<Integer, Integer>> first,
                                  Consumer<TMap<Integer, Integer>> second) {
        AtomicInteger attempts = new AtomicInteger();
        Stm.atomic(() -> {
            first.accept(m);
            if (attempts.incrementAndGet() == 1) {
                TestSupport.inOtherThread(() -> Stm.atomic(() -> second.accept(m)));
            }
        });
        return attempts.get();
    }

    private static void increment(TMap<Integer, Integer> m, int key) {
        m.put(key, m.getOrDefault(key, 0) + 1);
    }

    @Test
    void updatesOfDifferentExistingKeysDoNotConflict() {
        TMap<Integer, Integer> m = new TMap<>();
        m.put(1, 0);
        m.put(2, 0);
        StmStats before = Stm.stats();
        assertEquals(1, interleave(m, x -> increment(x, 1), x -> increment(x, 2)));
        assertEquals(0, Stm.stats().minus(before).conflictAborts());
        assertEquals(Map.of(1, 1, 2, 1), m.snapshot());
    }

    @Test
    void insertsOfDifferentNewKeysDoNotConflictEvenInTheSamePresenceStripe() {
        TMap<Integer, Integer> m = new TMap<>();
        assertEquals(TMap.stripeIndex(1), TMap.stripeIndex(17), "keys 1 and 17 share a presence stripe");
        StmStats before = Stm.stats();
        assertEquals(1, interleave(m, x -> increment(x, 1), x -> increment(x, 17)));
        assertEquals(1, interleave(m, x -> x.remove(1), x -> x.remove(17)));
        assertEquals(0, Stm.stats().minus(before).conflictAborts());
        assertEquals(0, m.size());
    }

    @Test
    void updatesOfTheSameKeyConflict() {
        TMap<Integer, Integer> m = new TMap<>();
        m.put(1, 0);
        assertEquals(2, interleave(m, x -> increment(x, 1), x -> increment(x, 1)));
        assertEquals(2, m.get(1));
    }

    @Test
    void sizeSeesKeysInsertedConcurrentlyNoPhantoms() {
        TMap<Integer, Integer> m = new TMap<>();
        // Both transactions insert only into an empty map; serially only one of them can.
        int attempts = interleave(m,
                x -> {
                    if (x.size() == 0) {
                        x.put(1, 1);
                    }
                },
                x -> {
                    if (x.size() == 0) {
                        x.put(2, 2);
                    }
                });
        assertEquals(2, attempts);
        assertEquals(Map.of(2, 2), m.snapshot());
    }

    @Test
    void concurrentInsertsAndRemovesKeepSizeConsistent() {
        TMap<Integer, Integer> m = new TMap<>();
        Ref<Integer> count = new Ref<>(0);
        int threads = 4;
        TestSupport.runThreads(threads, t -> {
            for (int n = 0; n < 5_000; n++) {
                int key = t * 1_000_000 + n;
                int value = n;
                Stm.atomic(() -> {
                    if (m.put(key, value) == null) {
                        count.update(v -> v + 1);
                    }
                });
                if (n % 3 == 0) {
                    Stm.atomic(() -> {
                        if (m.remove(key) != null) {
                            count.update(v -> v - 1);
                        }
                    });
                }
                if (n % 500 == 0) {
                    Stm.atomic(() -> assertEquals(count.get(), m.size()));
                }
            }
        });
        assertEquals(count.get(), m.size());
        assertEquals(threads * (5_000 - 1_667), m.size());
    }

    @Test
    void wholeMapReadsOutsideTransactionsAreExactWhileKeysMove() {
        int n = 200;
        TMap<Integer, Integer> m = new TMap<>();
        for (int k = 0; k < n; k++) {
            m.put(k, k);
        }
        AtomicInteger moversLeft = new AtomicInteger(2);
        AtomicInteger checks = new AtomicInteger();
        StmStats before = Stm.stats();
        TestSupport.runThreads(3, t -> {
            if (t < 2) {
                // Move random keys around: the size stays n in every committed state.
                java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    int from = rnd.nextInt(3 * n);
                    int to = rnd.nextInt(3 * n);
                    Stm.atomic(() -> {
                        Integer v = m.get(from);
                        if (v != null && !m.containsKey(to)) {
                            m.remove(from);
                            m.put(to, v);
                        }
                    });
                }
                moversLeft.decrementAndGet();
            } else {
                while (moversLeft.get() > 0) {
                    assertEquals(n, m.size());
                    List<Integer> keys = m.keys();
                    assertEquals(n, keys.size());
                    assertEquals(n, new HashSet<>(keys).size());
                    assertEquals(n, m.snapshot().size());
                    checks.incrementAndGet();
                }
            }
        });
        assertEquals(n, m.size());
        assertTrue(checks.get() > 0);
        assertTrue(Stm.stats().minus(before).conflictAborts() > 0, "the readers were invalidated at times");
    }
}
