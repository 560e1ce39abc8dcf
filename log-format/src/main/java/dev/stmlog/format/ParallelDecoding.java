package dev.stmlog.format;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a file with its chunks decoded in parallel: a scanner thread frames and checks chunks
 * into batches, a pool of decoder threads decodes them into entries, and the reading thread
 * replays them to the visitor in file order, so that it sees exactly what a sequential read
 * shows it. A batch that no decoder has taken yet when its turn comes, and one that holds a
 * chunk larger than a batch, the reading thread decodes itself, straight to the visitor.
 *
 * <p>Memory is bounded whatever the file's size: batches hold budget units
 * ({@value #UNITS_PER_DECODER} per decoder and {@value #SPARE_UNITS} more, one per
 * {@link Batch#DEFAULT_BYTES} of payload, a batch at most all of them), and the scanner waits
 * for units that replayed batches give back. So at most {@code units} x 256 KiB of payload, or
 * one chunk of up to 4 MiB, and their entries are in flight.
 */
final class ParallelDecoding {
    static final int UNITS_PER_DECODER = 2;
    static final int SPARE_UNITS = 2;

    /** A batch's turn to be decoded: taken by the first thread to claim it, a decoder or the reading thread. */
    private final class Decode extends AtomicBoolean implements Runnable {
        final Batch batch;

        Decode(Batch batch) {
            this.batch = batch;
        }

        boolean claim() {
            return !get() && compareAndSet(false, true);
        }

        @Override
        public void run() {
            if (!claim()) return; // the reading thread took it
            try {
                new BatchDecoder().decode(batch);
            } catch (Throwable t) {
                batch.failure = t;
            }
            batch.decoded = true;
            LockSupport.unpark(reader);
        }
    }

    private final Decode end = new Decode(null);

    private final ChunkScanner scanner;
    private final int batchBytes;
    private final int maxUnits;
    private final Semaphore units;
    private final ArrayBlockingQueue<Decode> ordered;
    private final ConcurrentLinkedQueue<Batch> free = new ConcurrentLinkedQueue<>();
    private final ExecutorService decoders;
    private final Thread reader = Thread.currentThread();
    private final BatchDecoder decoder = new BatchDecoder(); // the reading thread's
    private volatile boolean stopped;
    private volatile Throwable scanFailure;

    ParallelDecoding(ChunkScanner scanner, int decoders, int batchBytes) {
        this.scanner = scanner;
        this.batchBytes = batchBytes;
        this.maxUnits = decoders * UNITS_PER_DECODER + SPARE_UNITS;
        this.units = new Semaphore(maxUnits);
        this.ordered = new ArrayBlockingQueue<>(maxUnits + 1);
        this.decoders = Executors.newFixedThreadPool(decoders, r -> {
            Thread t = new Thread(r, "stmlog-decoder");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the rest of the file after {@code first}, a full batch, replaying everything to {@code replay}. */
    void run(Batch first, BatchReplay replay) throws IOException {
        Thread scan = new Thread(this::scan, "stmlog-scanner");
        scan.setDaemon(true);
        try {
            first.units = unitsOf(first);
            units.acquireUninterruptibly(first.units);
            submit(first);
            scan.start();
            while (true) {
                Decode d = ordered.take();
                if (d == end) break;
                Batch b = d.batch;
                if (d.claim()) {
                    // No decoder has got to it yet (the machine's other work, say, has the
                    // cores), or it holds a chunk larger than a batch: rather than wait, this
                    // thread decodes it, replaying as it goes, so that the read is never much
                    // slower than on this thread alone and a large chunk's events are never all
                    // in memory at once.
                    decoder.decode(b, replay);
                } else {
                    while (!b.decoded) {
                        LockSupport.park(this);
                        if (Thread.interrupted()) throw new InterruptedException();
                    }
                    if (b.failure != null) rethrow(b.failure);
                    replay.replay(b);
                }
                int n = b.units;
                b.clear();
                if (b.in.length == batchBytes + Batch.SLACK) free.add(b); // not one grown for a large chunk
                units.release(n);
            }
            if (scanFailure != null) rethrow(scanFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        } finally {
            // The visitor may have stopped the read (or failed): the scanner stops at its next
            // chunk, and is waited for, so that the channel is not read once this returns.
            stopped = true;
            units.release(maxUnits);
            boolean interrupted = false;
            while (scan.isAlive()) {
                try {
                    scan.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            decoders.shutdownNow(); // idle by now, unless the visitor stopped the read
            try {
                decoders.awaitTermination(10, TimeUnit.SECONDS); // a batch takes a millisecond
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The scanner thread: fills batches in file order while there are units for them. */
    private void scan() {
        try {
            boolean more = true;
            while (more && !stopped) {
                units.acquireUninterruptibly();
                if (stopped) break;
                Batch b = free.poll();
                if (b == null) b = new Batch(batchBytes);
                more = scanner.fill(b);
                b.units = unitsOf(b);
                if (b.units > 1) units.acquireUninterruptibly(b.units - 1); // a chunk larger than a batch
                if (stopped) break;
                submit(b);
            }
        } catch (Throwable t) {
            scanFailure = t;
        } finally {
            ordered.add(end);
        }
    }

    private int unitsOf(Batch b) {
        return Math.max(1, Math.min(maxUnits, (b.inLength + batchBytes - 1) / batchBytes));
    }

    private void submit(Batch b) {
        Decode d = new Decode(b);
        ordered.add(d);
        // A chunk larger than a batch (a writer with larger buffers) is left to the reading
        // thread: decoded whole, a 4 MiB chunk of starts and commits makes 10 MB of entries.
        if (b.inLength <= batchBytes) decoders.execute(d);
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) throw io;
        if (t instanceof UncheckedIOException u) throw u.getCause();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IOException(t);
    }
}
