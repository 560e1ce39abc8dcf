package dev.stmlog.format;

import dev.stmlog.format.event.Metadata;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Follows a stmlog file that is still being written: each {@link #poll()} reads the chunks
 * completed since the last one and hands their events to the visitor, in file order, as
 * {@link LogReader} would have; the pools, the visitor's state and the read position carry over,
 * so a poll costs what was appended, not the file. {@link #closed()} says when the trailer (the
 * writer's clean close) has been read.
 *
 * <p>While the writer is alive the end of the file is where it is writing: a chunk whose header
 * or payload is not all there yet is left for a later poll, not read as a cut and not reported.
 * Damage found in complete chunks (a CRC mismatch, missing sequence numbers, malformed records)
 * is final and reported at once in {@link #result()}. When the writer is gone without closing
 * the log, {@link #finish()} reads what is left as a reader of a finished file does (the
 * complete records of a cut chunk, unchecked) and reports the truncation.
 *
 * <p>A bogus chunk marker inside damaged bytes whose length runs past the end is waited for
 * like a chunk being written, until the file grows past it or {@link #finish()}. Memory is one
 * batch of chunks (about 256 KiB, or the largest chunk) and the pools. Not thread-safe: one
 * thread polls.
 */
public final class LogTail implements Closeable {
    private final FileChannel in;
    private final String name;
    private Window window;
    private final ChunkScanner scanner;
    private final DamageLog damage = new DamageLog();
    private final BatchReplay replay;
    private final BatchDecoder decoder = new BatchDecoder();
    private Batch batch = new Batch(Batch.DEFAULT_BYTES);
    /** Where reading ended, once the tail has {@link #release released} its buffers. */
    private long endPosition = -1;
    private String writerVersion = "";
    private boolean headerRead;
    private boolean finished;

    private LogTail(FileChannel in, String name, EventVisitor visitor) {
        this.in = in;
        this.name = name;
        this.window = new Window(in, 0);
        this.scanner = new ChunkScanner(window);
        this.scanner.live = true;
        this.replay = new BatchReplay(visitor, damage);
    }

    /** Follows {@code file} (which must exist; it may be empty yet), handing its events to {@code visitor}. */
    public static LogTail open(Path file, EventVisitor visitor) throws IOException {
        return new LogTail(FileChannel.open(file), file.toString(), visitor);
    }

    public String name() {
        return name;
    }

    /** The recording's metadata, once its chunk has been read; null before (or when it was lost). */
    public Metadata metadata() {
        return replay.metadata;
    }

    /** True once the trailer has been read: the writer closed the log, nothing more will come. */
    public boolean closed() {
        return replay.trailer != null;
    }

    /** Bytes of the file read so far: up to the end of the last complete chunk (or damaged bytes skipped). */
    public long position() {
        return window == null ? endPosition : window.offset();
    }

    /** The file's size now, for callers that look for a file truncated under them (a new recording). */
    public long size() throws IOException {
        return window == null ? endPosition : in.size();
    }

    /**
     * Reads the chunks completed since the last poll to the visitor; returns true when it read
     * anything (a header, chunks, damaged bytes). Does nothing once the log is {@link #closed()}
     * or {@link #finish() finished}.
     *
     * @throws LogFormatException when the file is not a stmlog log, or of another version
     */
    public boolean poll() throws IOException {
        if (finished || closed()) return false;
        long before = window.offset();
        boolean headerBefore = headerRead;
        window.resume();
        if (!headerRead && !readHeader()) return false;
        boolean more;
        do {
            batch.clear();
            more = scanner.fill(batch);
            if (!batch.isEmpty()) decoder.decode(batch, replay);
        } while (more && !closed());
        boolean read = window.offset() != before || headerRead != headerBefore;
        if (closed()) release();
        return read;
    }

    /**
     * Closes the file and drops the buffers (about 1 MB) once nothing more will be read from it,
     * so that many ended logs (a watched directory's) hold no more than their results.
     */
    private void release() throws IOException {
        endPosition = window.offset();
        window = null;
        batch = null;
        in.close();
    }

    /**
     * The writer is gone: reads the rest of the file as {@link LogReader} reads the end of a
     * file (an incomplete chunk's complete records, unchecked; the truncation reported; no trailer
     * reported as the writer not closing the log) and returns the result. The tail reads no more.
     */
    public ReadResult finish() throws IOException {
        if (finished || window == null) {
            finished = true;
            return result();
        }
        finished = true;
        try {
            return finishReading();
        } finally {
            release();
        }
    }

    private ReadResult finishReading() throws IOException {
        window.resume();
        if (!headerRead && !readHeader()) {
            damage.truncatedAt = 0;
            damage.note("truncated at byte 0: the file header is incomplete");
            return result();
        }
        if (!closed()) {
            scanner.live = false;
            boolean more;
            do {
                batch.clear();
                more = scanner.fill(batch);
                if (!batch.isEmpty()) decoder.decode(batch, replay);
            } while (more);
            if (replay.trailer == null && scanner.damage.truncatedAt < 0) {
                damage.truncatedAt = scanner.endOffset;
                damage.note("truncated at byte " + scanner.endOffset + ": no trailer, the writer did not close the log");
            }
        }
        return result();
    }

    /**
     * What has been read so far. While the log is followed its damage is only what is final:
     * not the chunk being written.
     */
    public ReadResult result() {
        Damage d = damage.toDamage();
        DamageLog s = scanner.damage;
        long truncatedAt = d.truncatedAt() >= 0 ? d.truncatedAt() : s.truncatedAt;
        Damage all = new Damage(truncatedAt, d.bytesSkipped() + s.bytesSkipped, d.damagedRegions() + s.damagedRegions,
                d.missingChunks() + s.missingChunks, d.malformedRecords(), d.unresolvedReferences(), d.eventsLost(),
                d.notes());
        return new ReadResult(name, writerVersion, replay.metadata, scanner.chunks, replay.records, replay.events,
                replay.unknownRecords, replay.trailer, all);
    }

    /** The file header, once all of it is there; false while it is not (a wrong magic or version fails at once). */
    private boolean readHeader() throws IOException {
        boolean whole = window.fill(Format.FILE_HEADER_FIXED);
        byte[] b = window.buf;
        int have = Math.min(window.available(), Format.MAGIC.length);
        for (int i = 0; i < have; i++) {
            if (b[window.start + i] != Format.MAGIC[i]) {
                throw new LogFormatException(name, i, "not a stmlog log (bad magic)");
            }
        }
        if (!whole) return false;
        int h = window.start;
        int version = Bytes.getU16(b, h + 8);
        if (version != Format.VERSION) {
            throw new LogFormatException(name, 8, "unsupported stmlog format version " + version
                    + " (this reader reads version " + Format.VERSION + ")");
        }
        int n = Bytes.getU16(b, h + 10);
        if (n > Format.MAX_WRITER_VERSION) {
            throw new LogFormatException(name, 10, "writer version length " + n + " exceeds " + Format.MAX_WRITER_VERSION);
        }
        if (!window.fill(Format.FILE_HEADER_FIXED + n)) return false;
        writerVersion = new String(window.buf, window.start + Format.FILE_HEADER_FIXED, n, StandardCharsets.UTF_8);
        window.consume(Format.FILE_HEADER_FIXED + n);
        headerRead = true;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
