package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TLong}: its unboxed accesses, their mix with the inherited {@code Ref<Long>} ones in one
 * transaction (the write set holds a value either way), null rejected, and, forced with
 * latches, the conflicts of its read path (lock waits, snapshot extension, validation at
 * commit) and of its commit (a lock held by another committer).
 */
@Timeout(60)
class TLongTest {

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void getAndSetInsideAndOutsideATransaction() {
        TLong x = new TLong(5, "x");
        assertEquals(5, x.getLong());
        assertEquals(5L, x.get());
        x.setLong(7); // its own transaction
        assertEquals(7, x.getLong());
        long seen = Stm.call(tx -> {
            long before = x.getLong(tx);
            x.setLong(tx, before * 3);
            return before * 1000 + x.getLong(tx); // the buffered value
        });
        assertEquals(7021, seen);
        assertEquals(21, x.getLong());
        Stm.atomic(() -> x.setLong(x.getLong() + 1)); // the lookup variants
        assertEquals(22, x.getLong());
        assertEquals("TLong(x)", x.toString());
    }

    @Test
    void unboxedAndBoxedAccessesMixInOneTransaction() {
        TLong x = new TLong(1, "x");
        List<Long> seen = Stm.call(tx -> {
            List<Long> s = new ArrayList<>();
            x.setLong(tx, 3);
            s.add(x.get()); // unboxed in the write set, read boxed
            x.set(4L);
            s.add(x.getLong(tx)); // boxed in the write set, read unboxed
            s.add(x.updateAndGet(v -> v + 1));
            x.setLong(tx, x.getLong(tx) * 10);
            s.add(x.getAndSet(60L));
            return s;
        });
        assertEquals(List.of(3L, 4L, 5L, 50L), seen);
        assertEquals(60, x.getLong());
        assertEquals(60L, x.get());
    }

    @Test
    void commutesOfATLongApplyAtCommitAndAfterAnUnboxedSet() {
        TLong x = new TLong(10, "x");
        Stm.run(tx -> x.commute(tx, v -> v + 5));
        assertEquals(15, x.getLong());
        long read = Stm.call(tx -> {
            x.commute(tx, v -> v * 2);
            return x.getLong(tx); // turns the commute into an update: 30
        });
        assertEquals(30, read);
        Stm.run(tx -> {
            x.setLong(tx, 1);
            x.commute(tx, v -> v + 100); // applied to the buffered, unboxed value
        });
        assertEquals(101, x.getLong());
        Stm.run(tx -> {
            x.commute(tx, v -> v + 100);
            x.setLong(tx, 7); // replaces the commute
        });
        assertEquals(7, x.getLong());
        x.commute(v -> v - 2); // its own transaction
        assertEquals(5, x.getLong());
    }

    @Test
    void nullIsRejectedAndRollsTheTransactionBack() {
        TLong x = new TLong(1, "x");
        TLong other = new TLong(2, "other");
        assertThrows(NullPointerException.class, () -> Stm.run(tx -> {
            other.setLong(tx, 20);
            x.set(null);
        }));
        assertThrows(NullPointerException.class, () -> Stm.run(tx -> {
            other.setLong(tx, 20);
            x.commute(tx, v -> null); // thrown at commit, under x's lock
        }));
        assertThrows(NullPointerException.class, () -> Stm.run(tx -> {
            x.setLong(tx, 9);
            x.update(v -> null);
        }));
        assertThrows(NullPointerException.class, () -> x.set(null));
        assertEquals(1, x.getLong());
        assertEquals(2, other.getLong());
        // nothing stayed locked
        Stm.run(tx -> x.setLong(tx, x.getLong(tx) + other.getLong(tx)));
        assertEquals(3, x.getLong());
        Ref<String> s = new Ref<>("s", "s");
        s.set(null); // a Ref's value may be null
        assertEquals(null, s.get());
    }

    /** Past the write set's linear scan (8) and its first arrays (16): the unboxed values move with their Refs. */
    @Test
    void aLargeWriteSetOfTLongsAndRefs() {
        int n = 40;
        TLong[] ls = new TLong[n];
        List<Ref<Long>> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ls[i] = new TLong(i, "l" + i);
            rs.add(new Ref<>((long) -i, "r" + i));
        }
        long sum = Stm.call(tx -> {
            for (int i = 0; i < n; i++) {
                ls[i].setLong(tx, ls[i].getLong(tx) + 1000);
                rs.get(i).set(tx, rs.get(i).get(tx) - 1000);
            }
            for (int i = 0; i < n; i += 3) {
                ls[i].setLong(tx, ls[i].getLong(tx) + 1); // rewritten, found through the index
            }
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += ls[i].getLong(tx) + rs.get(i).get(tx);
            }
            return s;
        });
        assertEquals((n + 2) / 3, sum);
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1000 + (i % 3 == 0 ? 1 : 0), ls[i].getLong(), "l" + i);
            assertEquals(-i - 1000L, rs.get(i).get(), "r" + i);
        }
    }

    /** A writer commits between the reader's read and its commit: validation fails, the re-run reads the new value. */
    @Test
    void aReadValidatedAtCommitLosesToAWriterThatCommittedSince() {
        TLong x = new TLong(0, "x");
        TLong y = new TLong(0, "y");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        StmStats before = Stm.stats();
        TestSupport.runThreads(2, id -> {
            if (id == 0) {
                Stm.run(tx -> {
                    attempts.incrementAndGet();
                    long v = x.getLong(tx);
                    read.countDown();
                    await(written); // at once in the re-run
                    y.setLong(tx, v + 100);
                });
            } else {
                await(read);
                Stm.run(tx -> x.setLong(tx, x.getLong(tx) + 1));
                written.countDown();
            }
        });
        StmStats d = Stm.stats().minus(before);
        assertEquals(2, attempts.get());
        assertEquals(101, y.getLong(), "the re-run read the writer's value");
        assertEquals(1, d.writeReadAborts(), d.toString());
    }

    /**
     * A read of a Ref committed after the snapshot extends it when what was read is unchanged
     * (one attempt, the new value), and aborts when it has changed (the re-run sees both writes).
     */
    @Test
    void aNewerReadExtendsTheSnapshotOrAbortsIt() {
        TLong x = new TLong(0, "x");
        TLong y = new TLong(0, "y");
        for (boolean writeBoth : new boolean[] {false, true}) {
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch written = new CountDownLatch(1);
            AtomicInteger attempts = new AtomicInteger();
            long[] seen = new long[2]; // by the last attempt
            TestSupport.runThreads(2, id -> {
                if (id == 0) {
                    Stm.run(tx -> {
                        attempts.incrementAndGet();
                        long a = y.getLong(tx);
                        read.countDown();
                        await(written);
                        seen[0] = a;
                        seen[1] = x.getLong(tx);
                    });
                } else {
                    await(read);
                    Stm.run(tx -> {
                        x.setLong(tx, x.getLong(tx) + 1);
                        if (writeBoth) y.setLong(tx, y.getLong(tx) + 1);
                    });
                    written.countDown();
                }
            });
            long xv = x.getLong(), yv = y.getLong();
            assertEquals(List.of(yv, xv), List.of(seen[0], seen[1]), "writeBoth=" + writeBoth);
            assertEquals(writeBoth ? 2 : 1, attempts.get(), "writeBoth=" + writeBoth);
        }
    }

    /**
     * A committer holds a TLong's lock (its commute function, which runs under it, waits on a
     * latch): a reader of it and a blind writer of it conflict (after their bounded wait) and
     * re-run until it is released, then see and overwrite its commit.
     */
    @Test
    void aLockHeldByACommitterMakesReadersAndWritersOfTheTLongConflict() {
        TLong x = new TLong(1, "x");
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> Stm.run(tx -> x.commute(tx, v -> {
            locked.countDown();
            await(release);
            return v + 10;
        })), "holder");
        StmStats before = Stm.stats();
        holder.start();
        await(locked);
        long[] readerSaw = new long[1];
        TestSupport.runThreads(3, id -> {
            if (id == 0) {
                readerSaw[0] = Stm.call(tx -> x.getLong(tx));
            } else if (id == 1) {
                Stm.run(tx -> x.setLong(tx, 500)); // blind
            } else {
                TestSupport.awaitCondition(() -> {
                    StmStats d = Stm.stats().minus(before);
                    return d.writeReadAborts() >= 1 && d.writeWriteAborts() >= 1;
                }, () -> "a read and a write conflicting on the held lock: " + Stm.stats().minus(before));
                release.countDown();
            }
        });
        try {
            holder.join(TimeUnit.SECONDS.toMillis(TestSupport.WAIT_SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(readerSaw[0] == 11 || readerSaw[0] == 500, "the reader saw a commit: " + readerSaw[0]);
        assertEquals(500, x.getLong(), "the blind write committed after the holder's");
    }
}
