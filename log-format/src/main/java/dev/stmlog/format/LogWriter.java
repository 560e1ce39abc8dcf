package dev.stmlog.format;

import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * Writes a stmlog file (format version 1, see FORMAT.md).
 *
 * <p>Threads write events into their own {@link ThreadWriter} buffers with no shared lock;
 * full buffers are queued, and one background thread, the flusher, writes them as chunks
 * (with the constant pools they need first), computing each chunk's CRC off the application's
 * threads. Nothing here throws into the application after {@link #open}: a failed write,
 * a reached size cap or an overloaded disk stops recording with one warning, and what is
 * dropped is counted and recorded as data loss when possible.
 *
 * <p>Opening and closing are bounded and do not depend on the caller's interrupt status: the
 * first thread to record may be one that has been interrupted, and a stalled disk must not hang
 * the program's exit ({@link WriterOptions#closeTimeoutNanos()}).
 */
public final class LogWriter implements Closeable {
    /** Room kept under the size cap for the closing data-loss and trailer chunks. */
    private static final int CLOSING_RESERVE = 256;
    private static final long MAX_STALL_NANOS = 1_000_000_000L;
    private static final PendingChunk CLOSE = new PendingChunk(-1, 0, new byte[0], 0, 0);
    /** Siblings tried ({@code name-<pid>.stmlog}, then {@code name-<pid>-2.stmlog}...) when a log is locked. */
    private static final int MAX_SIBLINGS = 16;

    private final WritableByteChannel out;
    private final String name;
    private final WriterOptions options;
    private final long origin;
    private final Pools pools = new Pools();
    private final LinkedBlockingQueue<PendingChunk> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicBoolean overloadWarned = new AtomicBoolean();
    private final CopyOnWriteArrayList<ThreadWriter> writers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadWriter> current = new ThreadLocal<>();
    private final Thread flusher;
    private final Thread shutdownHook;
    private volatile String stopReason;
    private volatile WriteSummary summary;

    // What the flusher is writing, and whether close gave up waiting for it (a stalled disk):
    // guarded by `accounting`, so that close's count of what was not written is exact.
    private final Object accounting = new Object();
    private PendingChunk inFlight;
    private boolean abandoned;

    // Owned by the flusher (and by the constructor before it starts).
    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[Format.CHUNK_HEADER];
    private long sequence;
    private volatile long bytesWritten; // read by close when it gives up
    private long eventsWritten; // and under `accounting` after the constructor

    private LogWriter(WritableByteChannel out, String name, Metadata metadata, WriterOptions options) throws IOException {
        this.out = out;
        this.name = name;
        this.options = options;
        this.origin = metadata.originNanoTime();
        writeFileHeader(options.writerVersion());
        writeRecorderChunk(0, metadataRecord(metadata));
        if (stopReason != null) {
            throw new IOException("cannot write " + name + ": " + stopReason);
        }
        flusher = new Thread(this::flushLoop, "stmlog-flusher");
        flusher.setDaemon(true);
        flusher.start();
        shutdownHook = options.closeOnShutdown() ? new Thread(this::close, "stmlog-close") : null;
        if (shutdownHook != null) Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates (or truncates) {@code path} and starts recording into it, holding an exclusive lock
     * on it until closed. When another process holds that lock (two programs given the same
     * {@code STM_LOG}), it records into a sibling named after this process instead,
     * {@code name-<pid>.stmlog}, and says so in one warning: a file is never shared, so no
     * process's log is lost. The file is truncated only once locked.
     */
    public static LogWriter open(Path path, Metadata metadata, WriterOptions options) throws IOException {
        boolean interrupted = Thread.interrupted(); // see open(WritableByteChannel, ...)
        try {
            for (int attempt = 0; attempt <= MAX_SIBLINGS; attempt++) {
                Path target = attempt == 0 ? path : sibling(path, metadata.pid(), attempt);
                FileChannel ch = lockedChannel(target, options);
                if (ch == null) continue;
                if (attempt > 0) {
                    options.warnings().accept("stmlog: " + path + " is being recorded by another process; recording to "
                            + target + " instead");
                }
                return open(ch, target.toString(), metadata, options);
            }
            throw new IOException(path + " and " + MAX_SIBLINGS + " siblings named after this process are all being recorded");
        } catch (IOException e) {
            throw e.getMessage() == null ? new IOException(describe(e), e) : e;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code file} opened for writing, locked and emptied; null when another process (or another
     * writer of this JVM) holds its lock. On a file system without locks it is recorded unlocked,
     * with one warning.
     */
    private static FileChannel lockedChannel(Path file, WriterOptions options) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException thisJvm) {
                lock = null;
            } catch (IOException unsupported) {
                options.warnings().accept("stmlog: cannot lock " + file + " (" + describe(unsupported)
                        + "); recording to it unlocked");
                ch.truncate(0);
                return ch;
            }
            if (lock == null) {
                closeQuietly(ch);
                return null;
            }
            ch.truncate(0);
            return ch;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** {@code dir/name-<pid>.ext} for {@code dir/name.ext}, then {@code name-<pid>-2.ext}... */
    static Path sibling(Path path, long pid, int attempt) {
        String file = path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        return path.resolveSibling(stem + "-" + pid + (attempt > 1 ? "-" + attempt : "") + ext);
    }

    public static LogWriter open(Path path, Metadata metadata) throws IOException {
        return open(path, metadata, WriterOptions.defaults());
    }

    /**
     * Records into {@code out}, named {@code name} in warnings. The writer closes {@code out}.
     *
     * <p>The header and metadata are written by the calling thread, with its interrupt status
     * cleared and restored after: a {@link FileChannel} written by an interrupted thread closes
     * itself ({@code ClosedByInterruptException}), which left an empty log and no recording when
     * the first thread to use the STM had been interrupted. (The flusher writes everything else.)
     */
    public static LogWriter open(WritableByteChannel out, String name, Metadata metadata, WriterOptions options)
            throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return new LogWriter(out, name, metadata, options);
        } catch (IOException e) {
            closeQuietly(out);
            throw e.getMessage() == null ? new IOException(describe(e), e) : e;
        } catch (RuntimeException e) {
            closeQuietly(out);
            throw e;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** An exception's message, or its class's name when it has none (as ClosedByInterruptException). */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The log's name: its path, the sibling's when the path was being recorded by another process. */
    public String name() {
        return name;
    }

    /** The {@code System.nanoTime()} value event times count from. */
    public long originNanoTime() {
        return origin;
    }

    /** False once recording has stopped (closed, size cap, I/O failure). */
    public boolean isRecording() {
        return stopReason == null;
    }

    /**
     * The calling thread's writer, created (and the thread named in the log) on first use.
     * Callers on a hot path should keep the result rather than call this per event.
     */
    public ThreadWriter forCurrentThread() {
        ThreadWriter w = current.get();
        if (w == null) {
            Thread t = Thread.currentThread();
            w = new ThreadWriter(this, t.getId(), t, options.bufferSize());
            writers.add(w);
            current.set(w);
            w.threadStart(System.nanoTime(), t.getId(), t.getName());
        }
        return w;
    }

    /**
     * A writer for events of thread {@code threadId} that are not written by that thread
     * (tools and tests building logs). It must be used by one thread at a time.
     */
    public ThreadWriter forThread(long threadId) {
        ThreadWriter w = new ThreadWriter(this, threadId, null, options.bufferSize());
        writers.add(w);
        return w;
    }

    /** The pool id of a string, defining it on first use. */
    public int string(String s) {
        return pools.string(s);
    }

    public int frame(Frame f) {
        return pools.frame(f);
    }

    /** The pool id of a stack (innermost frame first); 0 for an empty stack. */
    public int stack(List<Frame> frames) {
        return pools.stack(frames);
    }

    /**
     * Writes everything still buffered, a data-loss record if events were dropped, and the
     * trailer that marks a clean close. Idempotent; never throws.
     *
     * <p>Bounded: it waits at most {@link WriterOptions#closeTimeoutNanos()} for the flusher. Past
     * that (a stalled disk), it gives up with one warning; the events not written by then are
     * counted as lost in the {@link #summary()}, and the file has no trailer (a reader sees it
     * as truncated). The flusher, a daemon thread, is left to end when the disk returns.
     */
    @Override
    public void close() {
        synchronized (queue) {
            if (summary == null) {
                queue.add(CLOSE);
                long deadline = System.nanoTime() + options.closeTimeoutNanos();
                boolean interrupted = false;
                while (flusher.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    try {
                        TimeUnit.NANOSECONDS.timedJoin(flusher, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
                if (summary == null) abandon();
                if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is exiting and the hook will find the summary already made
                    }
                }
            }
        }
    }

    /** What was written, once {@link #close()} has returned; null before. */
    public WriteSummary summary() {
        return summary;
    }

    /**
     * Close gave up waiting for the flusher: stops recording, counts as lost everything not
     * written (the chunk being written, the queue, what threads have published), and makes the
     * summary. A chunk the flusher takes from the queue in the instant of giving up is counted
     * after the summary is made.
     */
    private void abandon() {
        long nanos = options.closeTimeoutNanos();
        String timeout = nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000 + " ms";
        String before = stopReason;
        synchronized (accounting) {
            abandoned = true;
            stopReason = "close timed out after " + timeout;
        }
        takeAll(); // now counted as lost, as they are queued
        for (PendingChunk c; (c = queue.poll()) != null; ) {
            if (c == CLOSE) continue;
            pendingBytes.addAndGet(-c.length());
            lost.addAndGet(Records.count(c.bytes(), c.from(), c.to()));
        }
        queue.add(CLOSE); // so that the flusher ends when its write returns
        WriteSummary s;
        synchronized (accounting) {
            long unwritten = inFlight == null ? 0 : Records.count(inFlight.bytes(), inFlight.from(), inFlight.to());
            String reason = before == null || before.equals("closed") ? stopReason : before;
            s = new WriteSummary(name, eventsWritten, lost.get() + unwritten, bytesWritten, reason);
            summary = s;
        }
        options.warnings().accept("stmlog: " + name + ": closing timed out after " + timeout
                + " (the disk is not taking writes); " + s.eventsLost() + " events not written are counted as lost,"
                + " and the log has no trailer");
    }

    // ---------------------------------------------------------------- called by thread writers

    /**
     * Queues a chunk for the flusher, or drops and counts it when recording has stopped or the
     * backlog is past twice its limit (the disk has stalled). Never waits: callers may hold a
     * thread writer's monitor, which the flusher needs.
     */
    void enqueue(PendingChunk c) {
        if (stopReason != null) {
            lost.addAndGet(Records.count(c.bytes(), c.from(), c.to()));
            return;
        }
        if (pendingBytes.addAndGet(c.length()) > 2 * options.maxPendingBytes()) {
            pendingBytes.addAndGet(-c.length());
            lost.addAndGet(Records.count(c.bytes(), c.from(), c.to()));
            if (overloadWarned.compareAndSet(false, true)) {
                options.warnings().accept("stmlog: " + name + ": the disk cannot keep up; dropping events (counted as lost)");
            }
            return;
        }
        queue.add(c);
    }

    /**
     * Backpressure: a thread that just filled a buffer waits while the backlog is past its limit,
     * so that a flusher starved of CPU catches up instead of events being dropped. The wait is
     * bounded, so a stalled disk costs a thread at most {@link #MAX_STALL_NANOS} per buffer.
     */
    void awaitRoom() {
        long limit = options.maxPendingBytes();
        if (pendingBytes.get() <= limit) return;
        long deadline = System.nanoTime() + MAX_STALL_NANOS;
        while (pendingBytes.get() > limit && stopReason == null && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(50_000);
        }
    }

    // ---------------------------------------------------------------- the flusher

    private void flushLoop() {
        long interval = options.flushIntervalNanos();
        long nextTake = System.nanoTime() + interval;
        try {
            while (true) {
                PendingChunk c = queue.poll(Math.max(0, nextTake - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (c == CLOSE || abandoned()) break;
                if (c != null) write(c);
                if (System.nanoTime() - nextTake >= 0) {
                    takeAll();
                    nextTake = System.nanoTime() + interval;
                }
            }
        } catch (InterruptedException e) {
            // nobody interrupts the flusher; if someone does, close as on CLOSE
        }
        finish();
    }

    /** Queues what every thread has published; forgets threads that ended and were taken. */
    private void takeAll() {
        for (ThreadWriter w : writers) {
            w.takePublished();
            if (w.isFinished()) writers.remove(w);
        }
    }

    private boolean abandoned() {
        synchronized (accounting) {
            return abandoned;
        }
    }

    private void finish() {
        if (abandoned()) {
            closeQuietly(out);
            return;
        }
        takeAll();
        for (PendingChunk c; (c = queue.poll()) != null; ) {
            if (c != CLOSE) write(c);
        }
        String reason = stopReason;
        stopReason = reason == null ? "closed" : reason;
        long now = System.nanoTime() - origin;
        long dropped = lost.get();
        boolean writable = reason == null || reason.startsWith("size cap");
        if (writable && dropped > 0) {
            ByteSink r = new ByteSink(32);
            r.record(Format.DATA_LOSS, s -> s.varint(0).varint(dropped));
            writeClosingChunk(now, r);
        }
        if (writable) {
            long chunks = sequence;
            long events = eventsWritten;
            ByteSink r = new ByteSink(64);
            r.record(Format.TRAILER, s -> s.varint(chunks).varint(events).varint(dropped).varint(now));
            writeClosingChunk(now, r);
        }
        closeQuietly(out);
        synchronized (accounting) {
            if (!abandoned) summary = new WriteSummary(name, eventsWritten, dropped, bytesWritten, reason);
        }
    }

    private void write(PendingChunk c) {
        pendingBytes.addAndGet(-c.length());
        int events = Records.count(c.bytes(), c.from(), c.to());
        synchronized (accounting) {
            if (abandoned) {
                lost.addAndGet(events);
                return;
            }
            inFlight = c;
        }
        boolean written = stopReason == null;
        if (written) {
            for (byte[] pool : pools.drain()) {
                written = writeChunk(Format.RECORDER_THREAD, 0, pool, 0, pool.length, false);
                if (!written) break;
            }
        }
        if (written) written = writeChunk(c.thread(), c.baseTime(), c.bytes(), c.from(), c.to(), false);
        synchronized (accounting) {
            inFlight = null;
            if (written) eventsWritten += events;
            else lost.addAndGet(events);
        }
    }

    private void writeRecorderChunk(long baseTime, ByteSink payload) {
        writeChunk(Format.RECORDER_THREAD, baseTime, payload.array(), 0, payload.length(), false);
    }

    /** The data-loss and trailer chunks may use the room kept under the size cap. */
    private void writeClosingChunk(long baseTime, ByteSink payload) {
        if (abandoned()) return; // close has made the summary without them
        writeChunk(Format.RECORDER_THREAD, baseTime, payload.array(), 0, payload.length(), true);
    }

    /** Writes one chunk; false (and recording stopped) when it could not be written. */
    private boolean writeChunk(long thread, long baseTime, byte[] payload, int from, int to, boolean closing) {
        int length = to - from;
        long cap = options.maxBytes() - (closing ? 0 : CLOSING_RESERVE);
        if (bytesWritten + Format.CHUNK_HEADER + length > cap) {
            stop("size cap of " + options.maxBytes() + " bytes reached",
                    "stmlog: " + name + " reached its size cap (" + options.maxBytes()
                            + " bytes); recording stopped, later events are counted as lost");
            return false;
        }
        byte[] h = header;
        Bytes.putU32(h, 0, Format.CHUNK_MARKER);
        Bytes.putU32(h, 4, length);
        Bytes.putU64(h, 8, sequence);
        Bytes.putU64(h, 16, thread);
        Bytes.putU64(h, 24, baseTime);
        crc.reset();
        crc.update(h, 0, 32);
        crc.update(payload, from, length);
        Bytes.putU32(h, 32, (int) crc.getValue());
        try {
            writeFully(ByteBuffer.wrap(h), ByteBuffer.wrap(payload, from, length));
        } catch (IOException | RuntimeException e) {
            String msg = describe(e);
            stop("write failed: " + msg, "stmlog: cannot write " + name + " (" + msg + "); recording disabled");
            closeQuietly(out);
            return false;
        }
        sequence++;
        bytesWritten += Format.CHUNK_HEADER + length;
        return true;
    }

    private void writeFully(ByteBuffer a, ByteBuffer b) throws IOException {
        if (out instanceof GatheringByteChannel g) {
            ByteBuffer[] both = {a, b};
            while (b.hasRemaining()) g.write(both);
        } else {
            while (a.hasRemaining()) out.write(a);
            while (b.hasRemaining()) out.write(b);
        }
    }

    private void stop(String reason, String warning) {
        if (stopReason == null) {
            stopReason = reason;
            options.warnings().accept(warning);
        }
    }

    private void writeFileHeader(String writerVersion) throws IOException {
        byte[] version = Bytes.utf8(writerVersion, Format.MAX_WRITER_VERSION);
        byte[] h = new byte[Format.FILE_HEADER_FIXED + version.length];
        System.arraycopy(Format.MAGIC, 0, h, 0, 8);
        Bytes.putU16(h, 8, Format.VERSION);
        Bytes.putU16(h, 10, version.length);
        System.arraycopy(version, 0, h, 12, version.length);
        ByteBuffer buf = ByteBuffer.wrap(h);
        while (buf.hasRemaining()) out.write(buf);
        bytesWritten = h.length;
    }

    private static ByteSink metadataRecord(Metadata m) {
        ByteSink r = new ByteSink(512);
        r.record(Format.METADATA, s -> {
            s.varint(m.pid()).string(m.commandLine()).string(m.jvm())
                    .varint(m.processors()).varint(m.workerThreads())
                    .varint(Bytes.zigzag(m.startEpochNanos())).varint(Bytes.zigzag(m.originNanoTime()))
                    .varint(m.user().size());
            for (Map.Entry<String, String> e : m.user().entrySet()) s.string(e.getKey()).string(e.getValue());
        });
        return r;
    }

    private static void closeQuietly(WritableByteChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more can be done for a log that cannot be closed
        }
    }
}
