package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Marker;
import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child program for {@link CountedMarksTest}: four threads each mark {@code op} and commit a
 * transaction, {@code n} times before the window, {@code 2n} times inside it and
 * {@code 3n} times after it; the main thread marks {@code window.start} and {@code window.end}
 * (timed) while the workers wait between the phases, alive. Thread 0 marks {@code op} by name
 * ({@code Stm.mark}), threads 1 and 2 through a {@link Marker}, thread 3 with the
 * transaction ({@code Stm.atomic(marker, body)}, counted with the transaction at hand). Inside the window, thread 0 also marks
 * {@value #NAMES} names once each by name, more than a thread's table of names holds; thread 1
 * makes {@value #MARKERS} markers and marks each once, more than the runtime gives slots
 * (1,024), so that the last ones are counted by name; thread 2 marks {@code late} once (value
 * 7), then {@code early} three times (value 5), a marker made before {@code late}: its slot
 * is one the thread has room for without having used it; thread 3 marks {@code nested} through
 * {@code Stm.atomic(nested, body)} inside a transaction whose first attempt conflicts (another
 * thread writes what it read, between its read and its commit), in a top-level one whose body
 * throws, and in a top-level one that commits: two marks, one per committed transaction. Prints the number of {@code op}
 * marks of each phase.
 */
public final class CountedMarks {
    static final int THREADS = 4;
    static final int NAMES = 100;
    static final int MARKERS = 1_100;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        if (!Stm.isRecording()) {
            System.out.println("not recording");
            System.exit(2);
        }
        Marker ops = Stm.marker("op");
        Marker early = Stm.marker("early");
        Marker late = Stm.marker("late");
        Marker nested = Stm.marker("nested");
        if (Stm.marker("op") != ops) throw new IllegalStateException("two markers for one name");
        Ref<Long> counter = new Ref<>(0L, "counter");
        CountDownLatch[] go = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch[] done = {new CountDownLatch(THREADS), new CountDownLatch(THREADS), new CountDownLatch(THREADS)};
        Thread[] workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int phase = 0; phase < 3; phase++) {
                        if (!go[phase].await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no go");
                        for (int i = 0; i < (phase + 1) * n; i++) {
                            // The mark first: what a worker does right after the window's mark
                            // is to mark, with no record of its own in between that could place
                            // its counts after the window's mark by chance.
                            if (id == 0) {
                                Stm.mark("op", 1);
                            } else if (id == 3) {
                                Stm.atomic(ops, () -> counter.set(counter.get() + 1));
                                continue;
                            } else {
                                ops.mark(1);
                            }
                            Stm.atomic(() -> counter.set(counter.get() + 1));
                        }
                        if (phase == 1 && id == 0) {
                            for (int k = 0; k < NAMES; k++) Stm.mark("name-" + k, k);
                        } else if (phase == 1 && id == 1) {
                            for (int k = 0; k < MARKERS; k++) Stm.marker("marker-" + k).mark(k);
                        } else if (phase == 1 && id == 3) {
                            markNested(nested);
                        } else if (phase == 1) {
                            late.mark(7);
                            for (int k = 0; k < 3; k++) early.mark(5);
                        }
                        done[phase].countDown();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "marker-" + t);
            workers[t].start();
        }
        for (int phase = 0; phase < 3; phase++) {
            if (phase == 1) Stm.markTimed("window.start", 0);
            if (phase == 2) Stm.markTimed("window.end", 0);
            go[phase].countDown();
            if (!done[phase].await(60, TimeUnit.SECONDS)) throw new IllegalStateException("phase " + phase);
        }
        for (Thread w : workers) w.join(60_000);
        System.out.println("before=" + THREADS * n + " in=" + THREADS * 2 * n + " after=" + THREADS * 3 * n);
    }

    /**
     * Thread 3's {@code nested} marks: one per committed transaction, whatever its attempts. Its
     * Refs are its own: the workers' shared counter, written by the others in this phase, would
     * add a conflict of its own to the one forced here, now and then (seen under load).
     */
    private static void markNested(Marker nested) throws InterruptedException {
        Ref<Long> counter = new Ref<>(0L, "nested-counter");
        Ref<Long> read = new Ref<>(0L, "read");
        CountDownLatch hasRead = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                if (!hasRead.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no read");
                Stm.atomic(() -> read.set(read.get() + 1));
                written.countDown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "writer");
        writer.start();
        int[] attempts = {0};
        Stm.atomic(() -> {
            attempts[0]++;
            read.get();
            Stm.atomic(nested, () -> counter.set(counter.get() + 1));
            if (attempts[0] == 1) {
                hasRead.countDown();
                try {
                    if (!written.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not written");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.join(60_000);
        if (attempts[0] != 2) throw new IllegalStateException("attempts: " + attempts[0] + ", not a conflict and a commit");
        try {
            Stm.atomic(nested, () -> {
                counter.set(counter.get() + 1);
                throw new IllegalArgumentException("rolled back");
            });
            throw new IllegalStateException("the body's exception did not propagate");
        } catch (IllegalArgumentException expected) {
            // rolled back: no mark
        }
        Stm.atomic(nested, () -> counter.set(counter.get() + 1));
    }
}
