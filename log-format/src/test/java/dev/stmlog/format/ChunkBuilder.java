package dev.stmlog.format;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/** Crafts files byte by byte, following FORMAT.md, for tests of what a writer would never write. */
final class ChunkBuilder {
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private long sequence;

    ChunkBuilder() {
        file.write(Format.MAGIC, 0, 8);
        byte[] v = {1, 0, 4, 0, 't', 'e', 's', 't'};
        file.write(v, 0, v.length);
    }

    /** Appends raw record bytes to the current chunk's payload. */
    ChunkBuilder raw(int... bytes) {
        for (int b : bytes) payload.write(b);
        return this;
    }

    /** Appends a record: its size varint, then {@code typeAndBody}. */
    ChunkBuilder record(int... typeAndBody) {
        byte[] size = new byte[10];
        int n = Bytes.putVarint(size, 0, typeAndBody.length);
        payload.write(size, 0, n);
        return raw(typeAndBody);
    }

    /** Closes the current chunk with an honest length and CRC. */
    ChunkBuilder chunk(long thread, long baseTime) {
        return chunk(thread, baseTime, payload.size());
    }

    /** Closes the current chunk, claiming {@code length} in its header. */
    ChunkBuilder chunk(long thread, long baseTime, int length) {
        byte[] p = payload.toByteArray();
        byte[] h = new byte[36];
        Bytes.putU32(h, 0, Format.CHUNK_MARKER);
        Bytes.putU32(h, 4, length);
        Bytes.putU64(h, 8, sequence++);
        Bytes.putU64(h, 16, thread);
        Bytes.putU64(h, 24, baseTime);
        CRC32C crc = new CRC32C();
        crc.update(h, 0, 32);
        crc.update(p, 0, p.length);
        Bytes.putU32(h, 32, (int) crc.getValue());
        file.write(h, 0, 36);
        file.write(p, 0, p.length);
        payload.reset();
        return this;
    }

    byte[] bytes() {
        return file.toByteArray();
    }
}
