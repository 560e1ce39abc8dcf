package dev.stmlog.samples;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link CrashTest} kills: run with {@code STM_LOG} set, its worker thread commits
 * {@code N} transactions, makes the mark {@value #FLUSHED_MARK} (which writes the worker's
 * pending batch of commits into its buffer first), waits until its own log file holds those
 * {@code N} commits and the mark (the writer's flusher takes what threads have published every
 * second), prints {@code flushed N}, then goes on recording (transactions of random sizes,
 * marks, a second thread contending with it) until it is killed. Nothing here touches the
 * writer: the child only reads its log as any reader would.
 *
 * <p>Usage: {@code CrashChild N}. Exit status 3 if its log does not show the N commits within
 * {@value #FLUSH_TIMEOUT_SECONDS} s (the periodic flush did not happen).
 */
final class CrashChild {

    static final String WORKER = "crash-worker";
    static final String FLUSHED_MARK = "flushed";
    static final int FLUSH_TIMEOUT_SECONDS = 30;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String target = System.getenv("STM_LOG");
        if (target == null || !Stm.isRecording()) {
            System.out.println("not recording (STM_LOG=" + target + ")");
            System.exit(2);
        }
        Path log = Path.of(target);
        Ref<Long> counter = new Ref<>(0L, "crash counter");
        Thread worker = new Thread(() -> {
            for (int i = 0; i < n; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
            Stm.markTimed(FLUSHED_MARK, n); // written at once: the worker then waits to see it in the file
            long id = Thread.currentThread().getId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLUSH_TIMEOUT_SECONDS);
            // Woken by each write of the flusher (the directory is watched before the first
            // read, so no write falls between a read and the wait), for a bounded time.
            try (WatchService watch = log.getFileSystem().newWatchService()) {
                log.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
                while (!holds(log, id, n)) {
                    long left = deadline - System.nanoTime();
                    WatchKey key = left <= 0 ? null : watch.poll(left, TimeUnit.NANOSECONDS);
                    if (key == null) {
                        System.out.println("not flushed within " + FLUSH_TIMEOUT_SECONDS + " s");
                        System.exit(3);
                    }
                    key.pollEvents();
                    key.reset();
                }
            } catch (IOException | InterruptedException e) {
                System.out.println("cannot read " + log + ": " + e);
                System.exit(3);
            }
            System.out.println("flushed " + n);
            System.out.flush();
            keepGoing(counter);
        }, WORKER);
        worker.start();
        worker.join();
    }

    /** Whether the log holds the worker's {@code n} commits and its mark after them. */
    private static boolean holds(Path log, long worker, long n) throws IOException {
        long[] commits = {0};
        boolean[] marked = {false};
        try (LogReader reader = LogReader.open(log)) {
            reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    if (e instanceof UserMark m && m.thread() == worker && m.name().equals(FLUSHED_MARK)) marked[0] = true;
                }

                @Override
                public void txCommit(long time, long thread) {
                    if (thread == worker) commits[0]++;
                }

                @Override
                public void txCommits(long time, long thread, long count, long busyNanos) {
                    if (thread == worker) commits[0] += count;
                }
            });
        }
        return marked[0] && commits[0] >= n;
    }

    /** Records until killed: the moment of the kill finds the writer anywhere in its work. */
    private static void keepGoing(Ref<Long> counter) {
        Random random = new Random();
        Thread other = new Thread(() -> {
            while (true) {
                Stm.atomic(() -> {
                    long v = counter.get();
                    Thread.onSpinWait();
                    counter.set(v + 1);
                });
            }
        }, "crash-other");
        other.setDaemon(true);
        other.start();
        Ref<Long>[] refs = newRefs(16);
        for (long round = 0; ; round++) {
            int size = 1 + random.nextInt(refs.length);
            int transactions = random.nextInt(2000);
            for (int i = 0; i < transactions; i++) {
                Stm.atomic(() -> {
                    for (int k = 0; k < size; k++) refs[k].set(refs[k].get() + 1);
                    if (random.nextInt(50) == 0) counter.set(counter.get() + 1);
                });
            }
            Stm.mark("round", round);
            if (random.nextInt(4) == 0) {
                try {
                    Thread.sleep(random.nextInt(5));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Ref<Long>[] newRefs(int n) {
        Ref<Long>[] refs = new Ref[n];
        for (int i = 0; i < n; i++) refs[i] = new Ref<>(0L, "crash ref " + i);
        return refs;
    }
}
