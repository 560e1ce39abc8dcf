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
 * <p>Chunks are independent and CRC-checked, so they can be decoded in parallel
 * ({@link #read(EventVisitor, int)}): a scanner thread frames and checks them into batches of
 * about 256 KiB, decoder threads decode batches into entries, and the reading thread hands the
 * events to the visitor in file order, resolving pool ids as it goes; a batch that no decoder
 * has taken when its turn comes, the reading thread decodes itself, straight to the visitor. At
 * most 2 batches per decoder and 2 more, or one chunk of up to 4 MiB, are in flight: with 2
 * decoders, about 10 MB with their entries. Without decoders (the default on 2 processors, see
 * {@link #defaultDecoders()}), or for a log of one batch, the reading thread reads alone, a
 * batch at a time, decoding straight to the visitor.
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
     * The decoder threads a read uses unless told otherwise: two fewer than the available
     * processors (at most {@value #MAX_DECODERS}): the reading thread decodes too and needs a core
     * of its own, and the JIT, the collector and the rest of the machine another. So none on 2
     * processors. The system property {@code stmlog.decoders} sets it (0: the calling thread alone).
     *
     * <p>Measured on 2 processors shared with other work (the mixed log, into the analyzer): the
     * reading thread decoding straight to the visitor takes 13.5 to 14.5 ns of CPU per event;
     * with a decoder, decoding to entries takes 11 and replaying them 10, so a decoder only pays
     * with a core to itself, and there 1 decoder read at 45 M events/s where the reading thread
     * alone read at 70 (`stmlog top`, marginal: 26 and 57 M events/s, medians of 9 rounds). With
     * more processors, the reading thread's 10 ns could bound a read at 100 M events/s: not
     * measured here.
     */
    public static int defaultDecoders() {
        Integer set = Integer.getInteger("stmlog.decoders");
        if (set != null) return Math.max(0, set);
        int n = Runtime.getRuntime().availableProcessors();
        return Math.max(0, Math.min(n - 2, MAX_DECODERS));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
