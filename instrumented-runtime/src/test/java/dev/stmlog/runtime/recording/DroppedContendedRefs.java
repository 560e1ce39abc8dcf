package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts {@code rounds} Refs in a write-read conflict each (met at commit, so that the re-run's
 * read of the Ref is recorded as its access site), drops them, and prints how many the garbage
 * collector has cleared and how many conflicts there were. Run by {@link RecordingMemoryTest} in
 * a child JVM with {@code STM_LOG} set: the recorder must not keep the Refs reachable.
 */
public final class DroppedContendedRefs {

    public static void main(String[] args) throws InterruptedException {
        int rounds = Integer.parseInt(args[0]);
        Ref<Integer> out = new Ref<>(0, "out");
        long abortsBefore = Stm.stats().writeReadAborts();
        List<WeakReference<Ref<Integer>>> dropped = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            dropped.add(new WeakReference<>(conflictOnANewRef(out, i)));
        }
        long conflicts = Stm.stats().writeReadAborts() - abortsBefore;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int cleared = 0;
        for (int i = 0; i < 100 && System.nanoTime() < deadline; i++) {
            System.gc();
            cleared = (int) dropped.stream().filter(w -> w.get() == null).count();
            if (cleared == rounds) break;
            Thread.yield();
        }
        System.out.println("conflicts=" + conflicts + " cleared=" + cleared);
    }

    /** A transaction reads a new Ref, another thread changes it, and the transaction's commit fails once. */
    private static Ref<Integer> conflictOnANewRef(Ref<Integer> out, int i) {
        Ref<Integer> r = new Ref<>(i, "dropped " + i);
        int[] attempts = {0};
        Stm.atomic(() -> {
            int v = r.get();
            if (attempts[0]++ == 0) {
                Thread other = new Thread(() -> r.set(v + 1));
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            out.set(v);
        });
        return r;
    }
}
