package dev.stmlog.format;

import java.util.function.Consumer;

/**
 * How a {@link LogWriter} behaves. The defaults suit a recording runtime; tests and tools
 * change what they need.
 *
 * @param bufferSize      bytes per thread buffer (and so the largest event chunk), at least 16 KiB
 * @param maxBytes        the size cap: past it, recording stops and later events are counted as lost
 * @param flushIntervalNanos how often the flusher takes what threads have published, so that a
 *                        crash loses at most about this much
 * @param maxPendingBytes the backlog of chunks waiting for the flusher: past it, a thread whose
 *                        buffer fills waits (up to a second) for the flusher; past twice it, chunks
 *                        are dropped and counted as lost rather than memory growing without bound
 * @param closeOnShutdown close the log from a JVM shutdown hook
 * @param closeTimeoutNanos how long {@link LogWriter#close()} waits for the flusher to write what is
 *                        left; past it (a stalled disk), close gives up with one warning and counts
 *                        what was not written as lost, so that a stalled disk cannot hang the exit
 * @param warnings        where the writer's few warnings go (one line each)
 * @param writerVersion   the file header's writer version
 */
public record WriterOptions(int bufferSize, long maxBytes, long flushIntervalNanos, long maxPendingBytes,
                            boolean closeOnShutdown, long closeTimeoutNanos, Consumer<String> warnings,
                            String writerVersion) {

    public static final int DEFAULT_BUFFER_SIZE = 64 << 10;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /**
     * 10 s. What close may have to write is at most the backlog, twice
     * {@link #DEFAULT_MAX_PENDING_BYTES} (128 MiB), plus one buffer per thread: 2.6 s at 50 MB/s,
     * a slow network disk's rate. A disk slower than that for 10 s is treated as stalled.
     */
    public static final long DEFAULT_CLOSE_TIMEOUT_NANOS = 10_000_000_000L;
    public static final String WRITER_VERSION = "stmlog-java 0.1.0";

    public WriterOptions {
        if (bufferSize < 16 << 10 || bufferSize > Format.MAX_CHUNK_PAYLOAD) {
            throw new IllegalArgumentException("bufferSize must be between 16 KiB and 4 MiB: " + bufferSize);
        }
        if (maxBytes < 4096) throw new IllegalArgumentException("maxBytes must be at least 4096: " + maxBytes);
        if (flushIntervalNanos <= 0) throw new IllegalArgumentException("flushIntervalNanos must be positive");
        if (closeTimeoutNanos <= 0) throw new IllegalArgumentException("closeTimeoutNanos must be positive");
        if (warnings == null) throw new IllegalArgumentException("warnings is null");
    }

    public static WriterOptions defaults() {
        return new WriterOptions(DEFAULT_BUFFER_SIZE, DEFAULT_MAX_BYTES, DEFAULT_FLUSH_INTERVAL_NANOS,
                DEFAULT_MAX_PENDING_BYTES, true, DEFAULT_CLOSE_TIMEOUT_NANOS, line -> System.err.println(line), WRITER_VERSION);
    }

    public WriterOptions withBufferSize(int v) {
        return new WriterOptions(v, maxBytes, flushIntervalNanos, maxPendingBytes, closeOnShutdown, closeTimeoutNanos, warnings, writerVersion);
    }

    public WriterOptions withMaxBytes(long v) {
        return new WriterOptions(bufferSize, v, flushIntervalNanos, maxPendingBytes, closeOnShutdown, closeTimeoutNanos, warnings, writerVersion);
    }

    public WriterOptions withFlushIntervalNanos(long v) {
        return new WriterOptions(bufferSize, maxBytes, v, maxPendingBytes, closeOnShutdown, closeTimeoutNanos, warnings, writerVersion);
    }

    public WriterOptions withCloseOnShutdown(boolean v) {
        return new WriterOptions(bufferSize, maxBytes, flushIntervalNanos, maxPendingBytes, v, closeTimeoutNanos, warnings, writerVersion);
    }

    public WriterOptions withCloseTimeoutNanos(long v) {
        return new WriterOptions(bufferSize, maxBytes, flushIntervalNanos, maxPendingBytes, closeOnShutdown, v, warnings, writerVersion);
    }

    public WriterOptions withWarnings(Consumer<String> v) {
        return new WriterOptions(bufferSize, maxBytes, flushIntervalNanos, maxPendingBytes, closeOnShutdown, closeTimeoutNanos, v, writerVersion);
    }
}
