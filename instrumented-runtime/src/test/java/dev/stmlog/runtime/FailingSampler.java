package dev.stmlog.runtime;


/**
 * Runs transactions with {@code STM_LOG} set, then makes the recorder's sampler fail (a recorder
 * bug, injected through {@link Recorder#sampler}), waits until recording has stopped (at most
 * {@link TestSupport#WAIT_SECONDS} s), and runs as many transactions again. Run by {@code RecordingRobustnessTest} in a
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
        boolean stopped;
        try {
            TestSupport.awaitCondition(() -> !Recorder.isRecording(), () -> "recording to stop");
            stopped = true;
        } catch (AssertionError timedOut) {
            stopped = false; // the test reports it
        }
        for (int i = 0; i < transactions; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
        System.out.println("counter=" + counter.get() + " stopped=" + stopped);
    }
}
