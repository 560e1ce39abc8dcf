package dev.stmlog.samples;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link WatchTest} watches: run with {@code STM_LOG} set, two threads conflict on
 * one Ref in {@link #bump} (read, about 20 us of work, write: the planted conflict) until the
 * file named by its argument exists, then it returns and its shutdown hook closes the log. It
 * prints {@code recording} once both threads run. It gives up after {@value #MAX_SECONDS} s
 * whatever happens, so that it cannot outlive a failed test.
 */
final class WatchChild {
    static final int MAX_SECONDS = 90;

    private WatchChild() {
    }

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        if (!Stm.isRecording()) {
            System.out.println("not recording (STM_LOG=" + System.getenv("STM_LOG") + ")");
            System.exit(2);
        }
        Ref<Long> shared = new Ref<>(0L, "watched");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        Runnable work = () -> {
            for (long i = 0; ; i++) {
                bump(shared);
                if (i % 64 == 0 && (Files.exists(stop) || System.nanoTime() - deadline > 0)) return;
            }
        };
        Thread a = new Thread(work, "watched-a");
        Thread b = new Thread(work, "watched-b");
        a.start();
        b.start();
        System.out.println("recording");
        System.out.flush();
        a.join();
        b.join();
    }

    /** The planted conflict: the other thread's write between this read and write makes it re-run. */
    static void bump(Ref<Long> shared) {
        Stm.atomic(() -> {
            long v = shared.get();
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) Thread.onSpinWait();
            shared.set(v + 1);
        });
    }
}
