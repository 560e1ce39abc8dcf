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
 * @param warnings        where the writer's few warnings go (one line each)
 * @param writerVersion   the file header's writer version
 */
public record WriterOptions(int bufferSize, long maxBytes, long flushIntervalNanos, long maxPendingBytes,
                            boolean closeOnShutdown, Consumer<String> warnings, String writerVersion) {

    public static final int DEFAULT_BUFFER_SIZE = 64 << 10;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    public static final String WRITER_VERSION = "stmlog-java 0.1.0";

    public WriterOptions {
        if (bufferSize < 16 << 10 || bufferSize > Format.MAX_CHUNK_PAYLOAD) {
            throw new IllegalArgumentException("bufferSize must be between 16 KiB and 4 MiB: " + bufferSize);
        }
        if (maxBytes < 4096) throw new IllegalArgumentException("maxBytes must be at least 4096: " + maxBytes);
        if (flushIntervalNanos <= 0) throw new IllegalArgumentException("flushIntervalNanos must be positive");
        if (warnings == null) throw new IllegalArgumentException("warnings is null");
    }

    public static WriterOptions defaults() {
        return new WriterOptions(DEFAULT_BUFFER_SIZE, DEFAULT_MAX_BYTES, DEFAULT_FLUSH_INTERVAL_NANOS,
                DEFAULT_MAX_PENDING_BYTES, true, line -> System.err.println(line), WRITER_VERSION);
    }

    public WriterOptions withBufferSize(int v) {
        return new WriterOptions(v, maxBytes, flushIntervalNanos, maxPendingBytes, closeOnShutdown, warnings, writerVersion);
    }

    public WriterOptions withMaxBytes(long v) {
        return new WriterOptions(bufferSize, v, flushIntervalNanos, maxPendingBytes, closeOnShutdown, warnings, writerVersion);
    }

    public WriterOptions withFlushIntervalNanos(long v) {
        return new WriterOptions(bufferSize, maxBytes, v, maxPendingBytes, closeOnShutdown, warnings, writerVersion);
    }

    public WriterOptions withCloseOnShutdown(boolean v) {
        return new WriterOptions(bufferSize, maxBytes, flushIntervalNanos, maxPendingBytes, v, warnings, writerVersion);
    }

    public WriterOptions withWarnings(Consumer<String> v) {
        return new WriterOptions(bufferSize, maxBytes, flushIntervalNanos, maxPendingBytes, closeOnShutdown, v, writerVersion);
    }
}
