package dev.stmlog.format;

import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Frames a file's chunks, checks their CRCs and copies the payloads that pass into batches, in
 * file order; skips and reports damage (FORMAT.md, "What a reader does"). It fills one batch at a
 * time and picks up where it stopped, so that it can run ahead of decoding on a thread of its own.
 * Its notes go into the batches, in file order with the decoders'; its counts into {@link #damage}.
 */
final class ChunkScanner {
    private final Window w;
    private final CRC32C crc = new CRC32C();
    /** The counts of damage found here (truncation, skipped bytes, missing chunks); no notes. */
    final DamageLog damage = new DamageLog();
    long chunks;
    /** Where the file ended, once scanned. */
    long endOffset = -1;
    private long expectedSequence;
    private long damagedFrom = -1; // start of the damaged stretch being skipped, or -1
    /**
     * The file is still being written ({@link LogTail}): where the bytes end, a chunk may be
     * being written, so an incomplete chunk or header there is waited for (not read, not
     * reported), and a damaged stretch being skipped stays open. Cleared when the writer is gone,
     * for a last {@link #fill} that treats the end as a reader of a finished file does.
     */
    boolean live;

    ChunkScanner(Window w) {
        this.w = w;
    }

    /**
     * Adds chunks to {@code batch} until the next one does not fit in it (a batch that is empty
     * takes any chunk, growing); returns false when the file has been read to its end.
     */
    boolean fill(Batch batch) throws IOException {
        Window w = this.w;
        while (true) {
            if (!w.fill(Format.CHUNK_HEADER)) {
                if (w.available() > 0 && damagedFrom < 0 && !live) {
                    damage.truncatedAt = w.offset();
                    batch.note("truncated at byte " + w.offset() + ": incomplete chunk header ("
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
                    batch.note("no valid chunk header at byte " + at);
                }
                w.skipToNextMarker(live);
                continue;
            }
            if (length > batch.room() && !batch.isEmpty()) return true; // the next batch's
            long sequence = Bytes.getU64(b, h + 8);
            long thread = Bytes.getU64(b, h + 16);
            long base = Bytes.getU64(b, h + 24);
            if (!w.fill(Format.CHUNK_HEADER + length)) {
                if (live) break; // being written: read once complete
                b = w.buf;
                h = w.start;
                if (damagedFrom >= 0 && sequence < expectedSequence) {
                    break; // a marker inside the damage, not the real last chunk
                }
                if (sequence > expectedSequence) damage.missingChunks += sequence - expectedSequence;
                endDamage(batch, at);
                damage.truncatedAt = at;
                batch.note("truncated at byte " + at + ": chunk #" + sequence + " has " + (w.available() - Format.CHUNK_HEADER)
                        + " of its " + length + " bytes; its complete records were read unchecked");
                batch.add(b, h + Format.CHUNK_HEADER, w.end, thread, base, at + Format.CHUNK_HEADER, true);
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
                    batch.note("CRC mismatch in chunk #" + sequence + " at byte " + at);
                }
                w.skipToNextMarker(live);
                continue;
            }
            endDamage(batch, at);
            if (sequence != expectedSequence) {
                if (sequence > expectedSequence) {
                    damage.missingChunks += sequence - expectedSequence;
                    batch.note((sequence - expectedSequence) + " chunk(s) missing before chunk #" + sequence
                            + " at byte " + at);
                } else {
                    batch.note("chunk #" + sequence + " at byte " + at + " is out of order (expected #"
                            + expectedSequence + ")");
                }
            }
            expectedSequence = sequence + 1;
            chunks++;
            batch.add(b, h + Format.CHUNK_HEADER, h + Format.CHUNK_HEADER + length, thread, base,
                    at + Format.CHUNK_HEADER, false);
            w.consume(Format.CHUNK_HEADER + length);
        }
        endOffset = w.offset() + w.available();
        if (!live) endDamage(batch, endOffset);
        return false;
    }

    private void endDamage(Batch batch, long to) {
        long from = damagedFrom;
        if (from < 0) return;
        damagedFrom = -1;
        damage.bytesSkipped += to - from;
        batch.note("skipped " + (to - from) + " bytes (bytes " + from + " to " + to + ")");
    }
}
