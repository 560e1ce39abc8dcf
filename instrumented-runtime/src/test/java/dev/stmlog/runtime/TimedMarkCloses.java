package dev.stmlog.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child program for {@link TickedMarksTest}: with the clock's ticks sampling nothing (so they
 * close no counts: {@link Recorder#sampler} replaced), a worker marks {@code timed} once through a
 * {@link Marker} and once with a transaction, which opens its counts; then the main thread marks
 * {@code window.start} (timed); then the worker marks twice more the same ways. Only the timed
 * mark can close the worker's counts in between: the two later marks must be counted after it.
 */
public final class TimedMarkCloses {

    private TimedMarkCloses() {
    }

    public static void main(String[] args) throws Exception {
        if (!Stm.isRecording()) {
            System.out.println("not recording");
            System.exit(2);
        }
        Recorder.sampler = (now, dt) -> { };
        Marker timed = Stm.marker("timed");
        Runnable nothing = () -> { };
        Stm.atomic(nothing); // its classes loaded before the marks
        Stm.markTimed("warm-up", 0); // pooled, and markTimed's classes loaded
        CountDownLatch marked = new CountDownLatch(1);
        CountDownLatch windowStarted = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            timed.mark(1);
            Stm.atomic(timed, nothing);
            marked.countDown();
            try {
                if (!windowStarted.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no window");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            timed.mark(1);
            Stm.atomic(timed, nothing);
        }, "worker");
        worker.start();
        if (!marked.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not marked");
        Stm.markTimed("window.start", 0);
        windowStarted.countDown();
        worker.join(60_000);
        System.out.println("marked");
    }
}
