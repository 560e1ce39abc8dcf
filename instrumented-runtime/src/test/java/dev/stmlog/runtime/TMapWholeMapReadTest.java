package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole-map reads after an insert or removal in the same transaction. The insert writes its
 * presence stripe blindly; the whole-map read must still validate that stripe, or a concurrent
 * insert of another key of the same stripe goes unnoticed. Keys 1 and 17 share a stripe
 * (asserted, not assumed). The interleavings are forced: T pauses inside its first attempt until
 * I has committed.
 */
@Timeout(60)
class TMapWholeMapReadTest {

    private static final long WAIT_SECONDS = 20;

    /** The whole-map reads, each giving the number of keys it saw. */
    enum WholeMapRead {
        SIZE(TMap::size),
        KEYS(m -> m.keys().size()),
        SNAPSHOT(m -> m.snapshot().size()),
        FOR_EACH(m -> {
            int[] n = new int[1];
            m.forEach((k, v) -> n[0]++);
            return n[0];
        });

        private final ToIntFunction<TMap<Integer, Integer>> count;

        WholeMapRead(ToIntFunction<TMap<Integer, Integer>> count) {
            this.count = count;
        }

        int count(TMap<Integer, Integer> m) {
            return count.applyAsInt(m);
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting until " + what);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * T runs {@code t} as a transaction on one thread, I runs {@code i} as a transaction on
     * another. I starts when T's first attempt calls the pause it is given, and that attempt
     * then waits until I has committed; later attempts of T do not pause.
     */
    private static void tPausesUntilICommits(Consumer<Runnable> t, Runnable i) {
        CountDownLatch tPaused = new CountDownLatch(1);
        CountDownLatch iCommitted = new CountDownLatch(1);
        AtomicInteger tAttempts = new AtomicInteger();
        TestSupport.runThreads(2, id -> {
            if (id == 0) {
                Stm.atomic(() -> {
                    boolean first = tAttempts.incrementAndGet() == 1;
                    t.accept(() -> {
                        if (first) {
                            tPaused.countDown();
                            await(iCommitted, "I has committed");
                        }
                    });
                });
            } else {
                await(tPaused, "T's first attempt pauses");
                Stm.atomic(i);
                iCommitted.countDown();
            }
        });
    }

    private static void assertOneAndSeventeenShareAStripe() {
        assertEquals(TMap.stripeIndex(1), TMap.stripeIndex(17), "keys 1 and 17 share a presence stripe");
    }

    private static <E> E last(List<E> list) {
        return list.get(list.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(WholeMapRead.class)
    void insertThenWholeMapReadIsSerializableWithAnInsertInTheSameStripe(WholeMapRead read) {
        assertOneAndSeventeenShareAStripe();
        TMap<Integer, Integer> m = new TMap<>("m");
        List<Integer> tSaw = new ArrayList<>(); // per attempt
        List<Integer> iSaw = new ArrayList<>();
        tPausesUntilICommits(pause -> {
            m.put(1, 1);
            tSaw.add(read.count(m));
            pause.run();
        }, () -> {
            m.put(17, 17);
            iSaw.add(read.count(m));
        });
        assertEquals(Map.of(1, 1, 17, 17), m.snapshot());
        // Serially, whichever commits second sees both keys.
        List<Integer> committed = List.of(last(tSaw), last(iSaw));
        assertTrue(committed.equals(List.of(1, 2)) || committed.equals(List.of(2, 1)),
                "T and I committed having seen " + committed + " keys (T's attempts " + tSaw
                        + ", I's " + iSaw + "): no serial order gives that");
        // How it gets there: I's insert, committed while T paused, invalidates T's read of the
        // stripe it had written itself; T's re-run sees both keys.
        assertEquals(List.of(1), iSaw, "I saw");
        assertEquals(List.of(1, 2), tSaw, "T's attempts saw");
    }

    @Test
    void removeThenIsEmptyIsSerializableWithAnInsertInTheSameStripe() {
        assertOneAndSeventeenShareAStripe();
        TMap<Integer, Integer> m = new TMap<>("m");
        m.put(1, 1);
        List<Boolean> tSaw = new ArrayList<>(); // isEmpty() after removing 1, per attempt
        List<Integer> iSaw = new ArrayList<>(); // size() after inserting 17
        tPausesUntilICommits(pause -> {
            m.remove(1);
            tSaw.add(m.isEmpty());
            pause.run();
        }, () -> {
            m.put(17, 17);
            iSaw.add(m.size());
        });
        assertEquals(Map.of(17, 17), m.snapshot());
        // Serially: T then I sees (empty, 1 key); I then T sees (not empty, 2 keys).
        List<Object> committed = List.of(last(tSaw), last(iSaw));
        assertTrue(committed.equals(List.of(true, 1)) || committed.equals(List.of(false, 2)),
                "T and I committed having seen isEmpty() and size() " + committed + " (T's attempts " + tSaw
                        + ", I's " + iSaw + "): no serial order gives that");
        assertEquals(List.of(2), iSaw, "I saw");
        assertEquals(List.of(true, false), tSaw, "T's attempts saw");
    }

    @ParameterizedTest
    @EnumSource(WholeMapRead.class)
    void insertThenWholeMapReadStaysOneSnapshotWhenTheSnapshotIsExtended(WholeMapRead read) {
        assertOneAndSeventeenShareAStripe();
        TMap<Integer, Integer> m = new TMap<>("m");
        Ref<Integer> other = new Ref<>(0, "other");
        List<Map<String, Object>> tSaw = new ArrayList<>(); // per attempt, in the order read
        tPausesUntilICommits(pause -> {
            Map<String, Object> seen = new LinkedHashMap<>();
            tSaw.add(seen);
            m.put(1, 1);
            seen.put("keys", read.count(m));
            pause.run();
            seen.put("other", other.get()); // committed after T's snapshot: T extends it
            seen.put("contains17", m.containsKey(17));
            seen.put("keysAgain", read.count(m));
        }, () -> {
            m.put(17, 17);
            other.set(1);
        });
        // The only two snapshots T can see: before I's commit and after it (plus T's own key).
        List<Map.Entry<String, Object>> beforeI = List.of(
                Map.entry("keys", 1), Map.entry("other", 0), Map.entry("contains17", false), Map.entry("keysAgain", 1));
        List<Map.Entry<String, Object>> afterI = List.of(
                Map.entry("keys", 2), Map.entry("other", 1), Map.entry("contains17", true), Map.entry("keysAgain", 2));
        for (int a = 0; a < tSaw.size(); a++) {
            List<Map.Entry<String, Object>> seen = new ArrayList<>(tSaw.get(a).entrySet());
            boolean oneSnapshot = seen.equals(beforeI.subList(0, seen.size()))
                    || seen.equals(afterI.subList(0, seen.size()));
            assertTrue(oneSnapshot, "attempt " + (a + 1) + " of T saw " + seen + ": no snapshot has that");
        }
        assertEquals(afterI, new ArrayList<>(last(tSaw).entrySet()), "the committed attempt saw");
        assertEquals(2, tSaw.size(), "T's first attempt is stopped when it reads other, "
                + "I's insert having changed the stripe it read: " + tSaw);
        assertEquals(Map.of(1, 1, 17, 17), m.snapshot());
    }
}
