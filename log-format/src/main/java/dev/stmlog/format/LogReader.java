package dev.stmlog.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a stmlog file (format version 1, see FORMAT.md) as a stream: memory stays bounded by
 * the largest chunk and the constant pools, whatever the file's size.
 *
 * <p>Damage does not stop it. A cut file yields every complete record before the cut; a chunk
 * whose CRC fails is skipped up to the next chunk that checks out; records it does not know are
 * skipped. {@link ReadResult#damage()} says what was lost and where. Only a file that is not a
 * stmlog log at all, or of an unsupported version, is refused ({@link LogFormatException}).
 */
public final class LogReader implements Closeable {
    private final ReadableByteChannel in;
    private final String name;
    private final Window window;
    private String writerVersion = "";
    private long headerCutAt = -1;
    private boolean read;

    private LogReader(ReadableByteChannel in, String name) throws IOException {
        this.in = in;
        this.name = name;
        this.window = new Window(in, 0);
        readFileHeader();
    }

    public static LogReader open(Path file) throws IOException {
        return open(FileChannel.open(file), file.toString());
    }

    /** Reads from {@code in}, named {@code name} in messages. The reader closes {@code in}. */
    public static LogReader open(ReadableByteChannel in, String name) throws IOException {
        try {
            return new LogReader(in, name);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** True when {@code start} begins like a stmlog file (for callers choosing a reader). */
    public static boolean hasMagic(byte[] start) {
        if (start.length < Format.MAGIC.length) return false;
        for (int i = 0; i < Format.MAGIC.length; i++) {
            if (start[i] != Format.MAGIC[i]) return false;
        }
        return true;
    }

    public String name() {
        return name;
    }

    public String writerVersion() {
        return writerVersion;
    }

    private void readFileHeader() throws IOException {
        boolean whole = window.fill(Format.FILE_HEADER_FIXED);
        byte[] b = window.buf;
        int have = Math.min(window.available(), Format.MAGIC.length);
        for (int i = 0; i < have; i++) {
            if (b[i] != Format.MAGIC[i]) throw new LogFormatException(name, i, "not a stmlog log (bad magic)");
        }
        if (!whole) {
            headerCutAt = 0;
            return;
        }
        int version = Bytes.getU16(b, 8);
        if (version != Format.VERSION) {
            throw new LogFormatException(name, 8, "unsupported stmlog format version " + version
                    + " (this reader reads version " + Format.VERSION + ")");
        }
        int n = Bytes.getU16(b, 10);
        if (n > Format.MAX_WRITER_VERSION) {
            throw new LogFormatException(name, 10, "writer version length " + n + " exceeds " + Format.MAX_WRITER_VERSION);
        }
        if (!window.fill(Format.FILE_HEADER_FIXED + n)) {
            headerCutAt = 0;
            return;
        }
        writerVersion = new String(window.buf, Format.FILE_HEADER_FIXED, n, StandardCharsets.UTF_8);
        window.consume(Format.FILE_HEADER_FIXED + n);
    }

    /** Reads every event to {@code visitor}; a reader reads once. */
    public ReadResult read(EventVisitor visitor) throws IOException {
        if (read) throw new IllegalStateException("a LogReader reads once");
        read = true;
        DamageLog damage = new DamageLog();
        RecordDecoder decoder = new RecordDecoder(visitor, damage);
        long chunks = headerCutAt < 0 ? scanChunks(decoder, damage) : 0;
        if (headerCutAt >= 0) {
            damage.truncatedAt = headerCutAt;
            damage.note("truncated at byte " + headerCutAt + ": the file header is incomplete");
        } else if (decoder.trailer == null && damage.truncatedAt < 0) {
            // Cut at a chunk boundary, or the writer died between chunks: the end is missing all the same.
            damage.truncatedAt = window.offset() + window.available();
            damage.note("truncated at byte " + damage.truncatedAt + ": no trailer, the writer did not close the log");
        }
        return new ReadResult(name, writerVersion, decoder.metadata, chunks, decoder.records, decoder.events,
                decoder.unknownRecords, decoder.trailer, damage.toDamage());
    }

    private long scanChunks(RecordDecoder decoder, DamageLog damage) throws IOException {
        Window w = window;
        CRC32C crc = new CRC32C();
        long chunks = 0;
        long expectedSequence = 0;
        long damagedFrom = -1; // start of the damaged stretch being skipped, or -1
        while (true) {
            if (!w.fill(Format.CHUNK_HEADER)) {
                if (w.available() > 0 && damagedFrom < 0) {
                    damage.truncatedAt = w.offset();
                    damage.note("truncated at byte " + w.offset() + ": incomplete chunk header ("
                            + w.available() + " bytes)");
                }
                break;
            }
            byte[] b = w.buf;
            int h = w.start;
            long at = w.offset();
            int length = Bytes.getU32(b, h + 4);
            if (Bytes.getU32(b, h) != Format.CHUNK_MARKER || length < 0 || length > Format.MAX_CHUNK_PAYLOAD) {
                if (damagedFrom < 0) {
                    damagedFrom = at;
                    damage.damagedRegions++;
                    damage.note("no valid chunk header at byte " + at);
                }
                w.skipToNextMarker();
                continue;
            }
            long sequence = Bytes.getU64(b, h + 8);
            long thread = Bytes.getU64(b, h + 16);
            long base = Bytes.getU64(b, h + 24);
            if (!w.fill(Format.CHUNK_HEADER + length)) {
                b = w.buf;
                h = w.start;
                if (damagedFrom >= 0 && sequence < expectedSequence) {
                    break; // a marker inside the damage, not the real last chunk
                }
                if (sequence > expectedSequence) damage.missingChunks += sequence - expectedSequence;
                endDamage(damage, damagedFrom, at);
                damagedFrom = -1;
                damage.truncatedAt = at;
                damage.note("truncated at byte " + at + ": chunk #" + sequence + " has " + (w.available() - Format.CHUNK_HEADER)
                        + " of its " + length + " bytes; its complete records were read unchecked");
                decoder.decode(b, h + Format.CHUNK_HEADER, w.end, thread, base, at + Format.CHUNK_HEADER, true);
                break;
            }
            b = w.buf;
            h = w.start;
            crc.reset();
            crc.update(b, h, 32);
            crc.update(b, h + Format.CHUNK_HEADER, length);
            if ((int) crc.getValue() != Bytes.getU32(b, h + 32)) {
                if (damagedFrom < 0) {
                    damagedFrom = at;
                    damage.damagedRegions++;
                    damage.note("CRC mismatch in chunk #" + sequence + " at byte " + at);
                }
                w.skipToNextMarker();
                continue;
            }
            endDamage(damage, damagedFrom, at);
            damagedFrom = -1;
            if (sequence != expectedSequence) {
                if (sequence > expectedSequence) {
                    damage.missingChunks += sequence - expectedSequence;
                    damage.note((sequence - expectedSequence) + " chunk(s) missing before chunk #" + sequence
                            + " at byte " + at);
                } else {
                    damage.note("chunk #" + sequence + " at byte " + at + " is out of order (expected #"
                            + expectedSequence + ")");
                }
            }
            expectedSequence = sequence + 1;
            chunks++;
            decoder.decode(b, h + Format.CHUNK_HEADER, h + Format.CHUNK_HEADER + length, thread, base,
                    at + Format.CHUNK_HEADER, false);
            w.consume(Format.CHUNK_HEADER + length);
        }
        endDamage(damage, damagedFrom, w.offset() + w.available());
        return chunks;
    }

    private static void endDamage(DamageLog damage, long from, long to) {
        if (from < 0) return;
        damage.bytesSkipped += to - from;
        damage.note("skipped " + (to - from) + " bytes (bytes " + from + " to " + to + ")");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
