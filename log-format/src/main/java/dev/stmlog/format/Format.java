package dev.stmlog.format;

/**
 * The constants of stmlog format version 1. FORMAT.md in this module is the specification;
 * every number here is named there.
 */
public final class Format {
    private Format() {}

    /** {@code \x89STMLOG\n}: the high byte catches 7-bit transfers, the newline CR/LF mangling. */
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'M', 'L', 'O', 'G', '\n'};
    public static final int VERSION = 1;
    /** Magic, version (u16) and the writer version's length (u16). */
    static final int FILE_HEADER_FIXED = 12;
    static final int MAX_WRITER_VERSION = 255;

    /** "CHNK" read as a little-endian u32. */
    static final int CHUNK_MARKER = 'C' | 'H' << 8 | 'N' << 16 | 'K' << 24;
    /** Marker, length, sequence, thread, base time, CRC32C. */
    static final int CHUNK_HEADER = 36;
    /** No chunk payload is longer; a longer length is damage. Bounds a reader's memory. */
    public static final int MAX_CHUNK_PAYLOAD = 4 << 20;
    /** Chunk thread id of the writer's own chunks: metadata, pools, data loss, trailer. */
    static final long RECORDER_THREAD = 0;

    // Untimed records, 0x01..0x1F.
    static final int METADATA = 0x01;
    static final int STRING = 0x02;
    static final int FRAME = 0x03;
    static final int STACK = 0x04;
    static final int TRAILER = 0x05;

    // Timed records, 0x20..0x7F: the body starts with the time delta, even for unknown types.
    static final int FIRST_TIMED = 0x20;
    static final int LAST_TIMED = 0x7F;
    static final int TX_START = 0x20;
    static final int TX_COMMIT = 0x21;
    static final int TX_ABORT = 0x22;
    static final int CONTENTION = 0x23;
    static final int WAIT_BEGIN = 0x24;
    static final int WAIT_END = 0x25;
    static final int INEVITABLE = 0x26;
    static final int GC_PAUSE = 0x27;
    static final int THREAD_START = 0x28;
    static final int MARK = 0x29;
    static final int DATA_LOSS = 0x2A;
    static final int TX_COMMITS = 0x2B;
    static final int ACCESS_SITE = 0x2C;
    static final int UNTIMED_START = 0x2D;
    static final int MARKS = 0x2E;

    static boolean isTimed(int type) {
        return type >= FIRST_TIMED && type <= LAST_TIMED;
    }

    /** Longer strings are cut to this many UTF-8 bytes by the writer (names, labels, frames). */
    static final int MAX_STRING_BYTES = 4096;
}
