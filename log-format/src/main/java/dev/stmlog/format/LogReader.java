package dev.stmlog.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a stmlog file (format version 1, see FORMAT.md) as a stream: memory stays bounded by
 * the chunks in flight and the constant pools, whatever the file's size.
 *
 * <p>Chunks are independent and CRC-checked, so they are decoded in parallel: a scanner thread
 * frames and checks them into batches of about 256 KiB, decoder threads decode batches into
 * entries, and the reading thread hands the events to the visitor in file order, resolving pool
 * ids as it goes; a batch that no decoder has taken when its turn comes, the reading thread
 * decodes itself, straight to the visitor ({@link #read(EventVisitor, int)}). At most 2 batches
 * per decoder and 2 more, or one chunk of up to 4 MiB, are in flight: with 1 decoder, about
 * 6 MB with their entries. A log of one batch is read on the reading thread alone.
 *
 * <p>Damage does not stop it. A cut file yields every complete record before the cut; a chunk
 * whose CRC fails is skipped up to the next chunk that checks out; records it does not know are
 * skipped. {@link ReadResult#damage()} says what was lost and where. Only a file that is not a
 * stmlog log at all, or of an unsupported version, is refused ({@link LogFormatException}).
 */
public final class LogReader implements Closeable {
    /**
     * More decoders than this do not help, and each adds batches in flight: the reading thread,
     * replaying batches in order, is the bottleneck by then. (On a mixed log a decoder takes 11
     * ns per event, the replay into the analyzer about 10: two decoders outrun it.)
     */
    static final int MAX_DECODERS = 4;

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

    /**
     * Reads every event to {@code visitor}, decoding chunks on {@link #defaultDecoders()} threads
     * besides this one; a reader reads once.
     */
    public ReadResult read(EventVisitor visitor) throws IOException {
        return read(visitor, defaultDecoders());
    }

    /**
     * Reads every event to {@code visitor}, decoding chunks on up to {@code decoders} threads
     * besides this one (0: on this thread alone). The visitor is called on this thread, and sees
     * the same calls in the same order whatever {@code decoders} is: chunks are decoded apart but
     * replayed in file order, each thread's events in the order it wrote them, with the damage
     * found. A log of one batch (256 KiB of payload) is always read on this thread alone.
     */
    public ReadResult read(EventVisitor visitor, int decoders) throws IOException {
        return read(visitor, decoders, Batch.DEFAULT_BYTES);
    }

    /** As {@link #read(EventVisitor, int)}, in batches of about {@code batchBytes} of payload (for tests). */
    ReadResult read(EventVisitor visitor, int decoders, int batchBytes) throws IOException {
        if (read) throw new IllegalStateException("a LogReader reads once");
        read = true;
        DamageLog damage = new DamageLog();
        BatchReplay replay = new BatchReplay(visitor, damage);
        ChunkScanner scanner = new ChunkScanner(window);
        if (headerCutAt < 0) {
            Batch batch = new Batch(batchBytes);
            boolean more = scanner.fill(batch);
            if (more && decoders > 0) {
                new ParallelDecoding(scanner, decoders, batchBytes).run(batch, replay);
            } else {
                BatchDecoder decoder = new BatchDecoder();
                while (true) {
                    decoder.decode(batch, replay);
                    if (!more) break;
                    batch.clear();
                    more = scanner.fill(batch);
                }
            }
        }
        DamageLog scanned = scanner.damage;
        damage.truncatedAt = scanned.truncatedAt;
        damage.bytesSkipped += scanned.bytesSkipped;
        damage.damagedRegions += scanned.damagedRegions;
        damage.missingChunks += scanned.missingChunks;
        if (headerCutAt >= 0) {
            damage.truncatedAt = headerCutAt;
            damage.note("truncated at byte " + headerCutAt + ": the file header is incomplete");
        } else if (replay.trailer == null && damage.truncatedAt < 0) {
            // Cut at a chunk boundary, or the writer died between chunks: the end is missing all the same.
            damage.truncatedAt = scanner.endOffset;
            damage.note("truncated at byte " + damage.truncatedAt + ": no trailer, the writer did not close the log");
        }
        return new ReadResult(name, writerVersion, replay.metadata, scanner.chunks, replay.records, replay.events,
                replay.unknownRecords, replay.trailer, damage.toDamage());
    }

    /**
     * The decoder threads a read uses unless told otherwise: one fewer than the available
     * processors (at most {@value #MAX_DECODERS}), since the reading thread decodes too; so none
     * on one processor. The system property {@code stmlog.decoders} sets it (0 reads on the
     * calling thread alone: for comparisons).
     *
     * <p>Measured on a mixed log (thread CPU per event, into the analyzer): decoding to entries
     * takes 11 ns and replaying them 10, decoding straight to the visitor 13.5. So a decoder
     * beside the reading thread reads faster when it has a core of its own, and costs more when
     * it has not: on 2 processors, 2 decoders (3 busy threads) read slower than 1.
     */
    public static int defaultDecoders() {
        Integer set = Integer.getInteger("stmlog.decoders");
        if (set != null) return Math.max(0, set);
        int n = Runtime.getRuntime().availableProcessors();
        return Math.min(n - 1, MAX_DECODERS);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
