package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TLong;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Forces, with latches, the conflict of a transaction that reads a Ref first and then waits
 * while a short transaction of another thread writes that Ref and commits: the reader loses at
 * its commit, and re-runs. Run by {@link ForcedShapesTest} in a child JVM with {@code STM_LOG}
 * set, {@code args[0]} rounds on each of three Refs, whose writer stores a new value
 * ({@code forced.x}), an equal boxed value ({@code forced.cache}, a re-filled cache), and an
 * equal value of a user type ({@code forced.user}, whose {@code equals} the recorder must not call),
 * and on two {@link TLong}s, read and written unboxed, whose writer stores a new value
 * ({@code forced.long}) and the same value ({@code forced.long-same}).
 */
public final class ForcedShapes {
    private static final long WAIT_SECONDS = 30;

    /** A user type whose {@code equals} counts its calls: the recorder must never call it. */
    record Entry(long v) {
        static final java.util.concurrent.atomic.AtomicLong EQUALS_CALLS = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public boolean equals(Object o) {
            EQUALS_CALLS.incrementAndGet();
            return o instanceof Entry e && e.v == v;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(v);
        }
    }

    /** One round's handshake: the reader has read; the writer has committed. */
    private record Round(Runnable write, CountDownLatch read, CountDownLatch written) {}

    /** A Ref of the rounds: the reader's early read, and the writer's transaction. */
    private record Target(Runnable read, Runnable write) {}

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Ref<Object> x = new Ref<>(0L, "forced.x");
        Ref<Object> cache = new Ref<>(1000L, "forced.cache");
        Ref<Object> user = new Ref<>(new Entry(7), "forced.user");
        TLong lx = new TLong(0, "forced.long");
        TLong same = new TLong(5, "forced.long-same");
        Ref<Long> out = new Ref<>(0L, "forced.out");
        SynchronousQueue<Round> handOff = new SynchronousQueue<>();
        // One writer thread for every round: a thread that writes a contended Ref times its
        // next attempts, so from its second write on its commits say how long they ran.
        Thread writer = new Thread(() -> {
            try {
                for (Round r; (r = handOff.poll(WAIT_SECONDS, TimeUnit.SECONDS)) != null && r.write() != null; ) {
                    await(r.read());
                    r.write().run(); // the short writer
                    r.written().countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "short-writer");
        writer.start();
        warmUp();
        long n = 0;
        List<Target> targets = List.of(
                new Target(x::get, () -> Stm.atomic(() -> x.set((Long) x.get() + 1))),
                // equal, not the same object (not cached)
                new Target(cache::get, () -> Stm.atomic(() -> cache.set(Long.valueOf(1000)))),
                new Target(user::get, () -> Stm.atomic(() -> user.set(new Entry(7)))),
                new Target(lx::getLong, () -> Stm.run(tx -> lx.setLong(tx, lx.getLong(tx) + 1))),
                new Target(same::getLong, () -> Stm.run(tx -> same.setLong(tx, 5))));
        for (Target target : targets) {
            for (int i = 0; i < rounds; i++) {
                Round r = new Round(target.write(), new CountDownLatch(1), new CountDownLatch(1));
                if (!handOff.offer(r, WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("writer gone");
                Stm.atomic(() -> {
                    target.read().run(); // the early read
                    r.read().countDown();
                    await(r.written()); // the writer commits meanwhile (at once in the re-run)
                    out.set(out.get() + 1); // a write: the commit validates the read, and loses
                });
                n++;
            }
        }
        handOff.offer(new Round(null, null, null), WAIT_SECONDS, TimeUnit.SECONDS);
        writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        System.out.println("rounds=" + n + " out=" + out.get() + " x=" + x.get() + " long=" + lx.getLong()
                + " user-equals-calls=" + Entry.EQUALS_CALLS.get());
    }

    /**
     * A forced conflict on threads of its own first: the first stack walks of a JVM load and link
     * classes for tens of milliseconds (hundreds on a busy machine), which the runtime charges to
     * the walking thread's budget for walks; past it, a conflict's victim is not walked in its
     * re-run. The warm-up's threads pay them, not the reader's.
     */
    private static void warmUp() throws InterruptedException {
        Ref<Long> w = new Ref<>(0L, "forced.warm-up");
        Ref<Long> wOut = new Ref<>(0L, "forced.warm-up-out");
        CountDownLatch read = new CountDownLatch(1), written = new CountDownLatch(1);
        Thread reader = new Thread(() -> Stm.atomic(() -> {
            w.get();
            read.countDown();
            await(written);
            wOut.set(wOut.get() + 1);
        }), "warm-up-reader");
        Thread writer = new Thread(() -> {
            await(read);
            Stm.atomic(() -> w.set(w.get() + 1));
            written.countDown();
        }, "warm-up-writer");
        reader.start();
        writer.start();
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("latch timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
