package dev.stmlog.runtime;

import java.util.concurrent.TimeUnit;

/**
 * Runs transactions with {@code STM_LOG} set, then makes the recorder's sampler fail (a recorder
 * bug, injected through {@link Recorder#sampler}), waits until recording has stopped (at most a
 * minute), and runs as many transactions again. Run by {@code RecordingRobustnessTest} in a
 * child JVM. Prints the counter and whether recording stopped.
 */
public final class FailingSampler {

    public static void main(String[] args) throws InterruptedException {
        int transactions = Integer.parseInt(args[0]);
        Ref<Long> counter = new Ref<>(0L, "counter");
        for (int i = 0; i < transactions; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
        Recorder.sampler = (now, dt) -> {
            throw new IllegalStateException("injected sampler failure");
        };
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (Recorder.isRecording() && System.nanoTime() - deadline < 0) Thread.sleep(5);
        boolean stopped = !Recorder.isRecording();
        for (int i = 0; i < transactions; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
        System.out.println("counter=" + counter.get() + " stopped=" + stopped);
    }
}
