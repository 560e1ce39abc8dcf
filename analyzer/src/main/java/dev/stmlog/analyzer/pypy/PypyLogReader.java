package dev.stmlog.analyzer.pypy;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Streams the records of a PyPy-STM conflict log (C7 or C8), one at a time, the way the original
 * scripts read them (analyzer/docs/pypy-compatibility.md#reading): a partial fixed part at the end
 * is ignored, a short marker at the end is kept, a code at or above the limit means "corrupted",
 * and in C8 a timestamp smaller than the previous one is fatal.
 *
 * <p>Pull style ({@link #next()}, then the accessors) so the analysis owns its loop and nothing
 * is allocated per record: the accessors describe the current record, and its marker bytes are a
 * slice of {@link #buffer()} that stays valid only until the next call. The file is read ahead on
 * another thread ({@link ReadAhead}); memory is three blocks of {@value #WINDOW} bytes whatever
 * the file size.
 *
 * <p>In strict mode the script's fatal conditions throw {@link PypyCompatException}; otherwise
 * they become warnings (analyzer/docs/pypy-compatibility.md#quirks): decreasing timestamps are
 * clamped (Q9), a bad code stops the reading but keeps what was read (Q10), or, with
 * {@code skipUnknownCodes}, is skipped.
 */
public final class PypyLogReader implements Closeable {
    static final int WINDOW = 1 << 20;
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Largest record: C7 fixed part plus two 255-byte markers. */
    private static final int MAX_RECORD = 19 + 255 + 255;

    /**
     * @param strict           fail where the original script fails
     * @param numbering        C8 event numbering of the file (ignored for C7)
     * @param skipUnknownCodes non-strict only: skip records with codes at or above the limit
     *                         (2017 research-branch files) instead of stopping there
     */
    public record Options(boolean strict, C8Numbering numbering, boolean skipUnknownCodes) {
        public Options {
            if (numbering == null) numbering = C8Numbering.FINAL;
        }

        public static Options strictFinal() {
            return new Options(true, C8Numbering.FINAL, false);
        }

        public static Options lenientFinal() {
            return new Options(false, C8Numbering.FINAL, false);
        }
    }

    private final FileChannel in;
    private final String displayName;
    private final Options options;
    private final PypyGeneration generation;
    private final PypyWarnings warnings;
    private final long fileSize;
    private final boolean c8;
    private final int fixed;
    private final int limit;
    private final int[] toFinal;

    private final ReadAhead ahead;
    private ReadAhead.Block block; // the block being parsed, null before the first
    private byte[] buf = new byte[0]; // block.bytes
    private int pos;
    private int end;
    private long bufOffset; // file offset of buf[0]
    private boolean eof;
    private boolean done;

    // the current record
    private long index = -1;
    private int at; // the record's start in buf
    private long sec;
    private long nsec;
    private double timestamp;
    private long thread;
    private long otherThread;
    private int event;
    private int rawEvent;
    private int m1Len;
    private int m2Len;

    // what the reading found
    private long danglingBytes;
    private long truncatedAt = -1;
    private boolean markerTruncated;
    private long corruptAt = -1;
    private long skippedUnknown;
    private long clamped;

    // numbering heuristics (C8), evaluated once at the end: markers per code are counted as the
    // records go by; the rest only a misnumbered file needs, so a second pass counts it then
    private final long[] markersOnCode = new long[256];
    private final Path file;
    private boolean tracking; // the second pass: also count codes, and the codes ABORTs follow
    private long codesSeen; // bit c set when raw code c < 64 occurred
    private byte[] lastCodeOfThread;
    private long[] followedByAbort;

    private PypyLogReader(FileChannel in, Path file, String displayName, Options options, PypyWarnings warnings)
            throws IOException {
        this.in = in;
        this.file = file;
        this.displayName = displayName;
        this.options = options;
        this.warnings = warnings;
        this.fileSize = in.size();
        this.ahead = new ReadAhead(in, displayName, WINDOW, MAX_RECORD);
        fill(PypyGeneration.HEADER_LENGTH);
        byte[] header = java.util.Arrays.copyOfRange(buf, pos, pos + Math.min(end - pos, PypyGeneration.HEADER_LENGTH));
        this.generation = PypyGeneration.detect(header);
        if (generation == null) {
            ahead.close();
            throw new PypyCompatException("ValueError", "wrong format in file " + PyFormat.repr(displayName), 0);
        }
        pos += PypyGeneration.HEADER_LENGTH;
        this.c8 = generation == PypyGeneration.C8;
        this.fixed = generation.fixedSize();
        this.limit = c8 ? options.numbering().codeLimit() : generation.codeLimit();
        this.toFinal = c8 ? options.numbering().table() : identity(limit);
    }

    private static int[] identity(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = i;
        return t;
    }

    /**
     * Opens a log and checks its header. Errors come as the script reports them:
     * {@code IOError} when the file cannot be opened, {@code ValueError: wrong format} when it
     * is not a PyPy-STM log.
     *
     * @param displayName the name as the user typed it (messages quote it like Python's repr)
     * @param warnings    where non-strict mode's warnings go
     */
    public static PypyLogReader open(Path file, String displayName, Options options, PypyWarnings warnings)
            throws IOException {
        FileChannel ch;
        try {
            if (Files.isDirectory(file)) {
                throw new PypyCompatException("IOError", "[Errno 21] Is a directory: " + PyFormat.repr(displayName), -1);
            }
            ch = FileChannel.open(file);
        } catch (NoSuchFileException e) {
            throw new PypyCompatException("IOError",
                    "[Errno 2] No such file or directory: " + PyFormat.repr(displayName), -1);
        } catch (AccessDeniedException e) {
            throw new PypyCompatException("IOError", "[Errno 13] Permission denied: " + PyFormat.repr(displayName), -1);
        }
        try {
            return new PypyLogReader(ch, file, displayName, options, warnings);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The generation, from the header; null never (open fails instead). */
    public PypyGeneration generation() {
        return generation;
    }

    public long fileSize() {
        return fileSize;
    }

    public String displayName() {
        return displayName;
    }

    public Options options() {
        return options;
    }

    /**
     * Moves to the next record; false at the end of the records (the end of the file, a partial
     * fixed part, or — non-strict — the point where the file became unreadable).
     */
    public boolean next() throws IOException {
        int s;
        do {
            s = c8 ? nextC8() : nextC7();
        } while (s == SKIPPED);
        return s == RECORD;
    }

    private static final int END = 0, RECORD = 1, SKIPPED = 2;

    // The two record loops are split by generation and keep every rare case (refill, end of
    // file, bad code, decreasing time, cut marker) in methods of their own, so that they stay
    // small enough for the JIT to inline into the analysis loop.

    private int nextC8() throws IOException {
        int p = pos;
        if (end - p < MAX_RECORD) {
            if (!refill()) return END;
            p = pos;
        }
        final byte[] b = buf;
        int code = b[p + 12] & 0xFF;
        if (code >= limit) return badCode(p, code) ? SKIPPED : END;
        long s = (int) I32.get(b, p) & 0xFFFFFFFFL;
        long ns = (int) I32.get(b, p + 4) & 0xFFFFFFFFL;
        // exactly the script's expression, multiplying by 1e-9 and then adding
        // (analyzer/docs/pypy-compatibility.md#timestamps)
        double ts = (double) s + 1e-9 * (double) ns;
        if (ts < timestamp) { // the previous record's (0 before the first: ts is never negative)
            decreasing(p, ts); // strict: throws; otherwise the previous record's time stays
        } else {
            sec = s;
            nsec = ns;
            timestamp = ts;
        }
        int l1 = b[p + 13] & 0xFF;
        int len = 14 + l1;
        if (len > end - p) {
            l1 = cutMarker(p, len) - 14;
            len = 14 + l1;
        }
        long t = (int) I32.get(b, p + 8) & 0xFFFFFFFFL;
        index++;
        at = p;
        thread = t;
        rawEvent = code;
        event = toFinal[code];
        m1Len = l1;
        pos = p + len;
        if (l1 > 0) markersOnCode[code]++;
        if (tracking) track(code, t);
        return RECORD;
    }

    /** Numbering heuristics of the second pass: which codes occur, which code precedes an ABORT. */
    private void track(int code, long t) {
        codesSeen |= 1L << code;
        if (t < lastCodeOfThread.length) {
            if (code == 2) followedByAbort[lastCodeOfThread[(int) t] & 0xFF]++;
            lastCodeOfThread[(int) t] = (byte) code;
        }
    }

    private int nextC7() throws IOException {
        int p = pos;
        if (end - p < MAX_RECORD) {
            if (!refill()) return END;
            p = pos;
        }
        final byte[] b = buf;
        int code = b[p + 16] & 0xFF;
        if (code >= limit) return badCode(p, code) ? SKIPPED : END;
        long s = (int) I32.get(b, p) & 0xFFFFFFFFL;
        long ns = (int) I32.get(b, p + 4) & 0xFFFFFFFFL;
        sec = s;
        nsec = ns;
        timestamp = (double) s + 1e-9 * (double) ns; // no order check: the C7 script has none
        int l1 = b[p + 17] & 0xFF;
        int l2 = b[p + 18] & 0xFF;
        int len = 19 + l1 + l2;
        if (len > end - p) {
            int have = cutMarker(p, len) - 19;
            if (l1 > have) {
                l1 = have; // a short marker 1 leaves marker 2 empty
                l2 = 0;
            } else {
                l2 = have - l1;
            }
            len = 19 + have;
        }
        index++;
        at = p;
        thread = (int) I32.get(b, p + 8) & 0xFFFFFFFFL;
        otherThread = (int) I32.get(b, p + 12) & 0xFFFFFFFFL;
        rawEvent = code;
        event = code;
        m1Len = l1;
        m2Len = l2;
        pos = p + len;
        return RECORD;
    }

    /** Refills the window; false (and the end is recorded) when less than a fixed part is left. */
    private boolean refill() throws IOException {
        if (done) return false;
        if (!eof) fill(MAX_RECORD);
        int avail = end - pos;
        if (avail < fixed) {
            finish(avail);
            return false;
        }
        return true;
    }

    /**
     * A code at or above the limit: strict fails; otherwise the record is skipped by its length
     * (with {@code skipUnknownCodes}) and true returned, or the reading stops.
     */
    private boolean badCode(int p, int code) {
        if (options.strict()) {
            throw new PypyCompatException("ValueError", "the file " + PyFormat.repr(displayName)
                    + " appears corrupted", bufOffset + p);
        }
        if (options.skipUnknownCodes() && skipUnknown(p, end - p, code)) return true;
        corruptAt = bufOffset + p;
        warnings.warn("corrupted", "event code " + code + " at byte " + corruptAt + " is not one of the "
                + limit + " codes of " + describeNumbering() + "; the rest of the file ("
                + (fileSize - corruptAt) + " bytes) was not read");
        done = true;
        pos = end;
        return false;
    }

    /** C8 time going back: the script fails (strict); otherwise keep the previous time (#q9). */
    private void decreasing(int p, double ts) {
        String what = PyFormat.fixed(timestamp, 9, 0) + " -> " + PyFormat.fixed(ts, 9, 0);
        if (options.strict()) throw new PypyCompatException("ValueError", "decreasing timestamps: " + what, bufOffset + p);
        clamped++;
        warnings.warn("decreasing", "decreasing timestamps at byte " + (bufOffset + p) + ": " + what
                + "; the earlier time was used");
    }

    /** The file ends inside the record's marker(s): the script keeps what it read. Returns the bytes present. */
    private int cutMarker(int p, int len) {
        int avail = end - p;
        markerTruncated = true;
        truncatedAt = bufOffset + p;
        warnings.note("marker-cut", "the file ends inside the marker of the record at byte " + truncatedAt
                + " (" + len + " bytes long, " + avail + " present); the shorter marker was used");
        return avail;
    }

    /** Skips a record with an unknown code using its length field; false if it is cut. */
    private boolean skipUnknown(int p, int avail, int code) {
        int len = c8 ? 14 + (buf[p + 13] & 0xFF) : 19 + (buf[p + 17] & 0xFF) + (buf[p + 18] & 0xFF);
        if (len > avail) return false;
        skippedUnknown++;
        warnings.warn("unknown-code", "skipped records with unknown event codes, the first (" + code
                + ") at byte " + (bufOffset + p));
        pos = p + len;
        return true;
    }

    private void finish(int avail) {
        done = true;
        if (avail > 0) {
            danglingBytes = avail;
            truncatedAt = bufOffset + pos;
            warnings.note("dangling", "the file ends with " + avail + " bytes at byte " + truncatedAt
                    + ", less than a record's fixed part (" + fixed + " bytes); they were ignored");
        }
    }

    /**
     * Makes {@code need} bytes (at most a record's) available from {@code pos} unless the file
     * ends first, moving on to the next block: the few unread bytes go into its headroom.
     */
    private void fill(int need) throws IOException {
        while (end - pos < need && !eof) {
            ReadAhead.Block next = ahead.take();
            if (next.length < 0) {
                eof = true;
                ahead.recycle(next);
                return;
            }
            int keep = end - pos;
            int start = MAX_RECORD - keep;
            System.arraycopy(buf, pos, next.bytes, start, keep);
            if (block != null) ahead.recycle(block);
            block = next;
            bufOffset += pos - start;
            buf = next.bytes;
            pos = start;
            end = MAX_RECORD + next.length;
        }
    }

    // ---- the current record ----

    /** 0-based index of the current record. */
    public long index() {
        return index;
    }

    /** Byte offset of the current record in the file. */
    public long offset() {
        return bufOffset + at;
    }

    /** Byte offset just after the current record (the progress fraction's numerator). */
    public long offsetAfter() {
        return bufOffset + pos;
    }

    /** Clock seconds (u32); the previous record's when the time was clamped. */
    public long sec() {
        return sec;
    }

    public long nsec() {
        return nsec;
    }

    /** {@code sec + 1e-9 * nsec}, exactly as the scripts compute it. */
    public double timestamp() {
        return timestamp;
    }

    /** The thread number (u32). */
    public long thread() {
        return thread;
    }

    /** C7: the thread on the other side of a contention, or 0. C8: always 0. */
    public long otherThread() {
        return otherThread;
    }

    /** The event code; for C8 mapped onto the final numbering. */
    public int event() {
        return event;
    }

    /** The event code as written in the file. */
    public int rawEvent() {
        return rawEvent;
    }

    /** The window holding the current record's markers; valid until the next call. */
    public byte[] buffer() {
        return buf;
    }

    public int marker1Offset() {
        return at + fixed;
    }

    public int marker1Length() {
        return m1Len;
    }

    public int marker2Offset() {
        return at + fixed + m1Len;
    }

    /** C7's second marker length; 0 for C8. */
    public int marker2Length() {
        return m2Len;
    }

    public byte[] marker1() {
        return java.util.Arrays.copyOfRange(buf, marker1Offset(), marker1Offset() + m1Len);
    }

    public byte[] marker2() {
        return java.util.Arrays.copyOfRange(buf, marker2Offset(), marker2Offset() + m2Len);
    }

    // ---- what the reading found (complete once next() returned false) ----

    /** Records read so far. */
    public long records() {
        return index + 1;
    }

    /** Bytes of a partial fixed part at the end (ignored, as by the script). */
    public long danglingBytes() {
        return danglingBytes;
    }

    /** True when the last record's marker was cut by the end of the file. */
    public boolean markerTruncated() {
        return markerTruncated;
    }

    /** Offset of the incomplete record at the end, or -1 when the file ends on a record boundary. */
    public long truncatedAt() {
        return truncatedAt;
    }

    /** Non-strict: offset of the record with a bad code where reading stopped, or -1. */
    public long corruptAt() {
        return corruptAt;
    }

    public long skippedUnknown() {
        return skippedUnknown;
    }

    /** Non-strict C8: records whose decreasing time was replaced by the previous one. */
    public long clampedTimestamps() {
        return clamped;
    }

    private String describeNumbering() {
        return c8 ? "the C8 " + options.numbering().label() + " numbering" : "C7";
    }

    /**
     * The numbering a C8 file seems to use when it is not the selected one, judged from which
     * codes carry markers (in the final numbering only 5 and 6 do; in the older ones 3 and 4),
     * which codes occur (13 does not exist in March 2015) and which code is usually followed by
     * an ABORT in the same thread (the write-read conflict). Null when nothing looks wrong or
     * nothing better can be said. Call after the last record: when the markers say the file is
     * misnumbered, it is read a second time for the rest.
     */
    public C8Numbering suspectedNumbering() throws IOException {
        if (!c8) return null;
        C8Numbering selected = options.numbering();
        long misplaced = 0;
        for (int c = 0; c < markersOnCode.length; c++) {
            if (markersOnCode[c] > 0 && !selected.carriesMarker(c)) misplaced += markersOnCode[c];
        }
        if (misplaced == 0) return null;
        boolean olderMarkers = markersOnCode[3] + markersOnCode[4] > 0;
        boolean finalMarkers = markersOnCode[5] + markersOnCode[6] > 0;
        if (finalMarkers && !olderMarkers) return C8Numbering.FINAL;
        if (!olderMarkers) return null; // markers on codes no numbering puts them on: damaged, not misnumbered
        PypyLogReader again = secondPass();
        long[] followedByAbort = again.followedByAbort;
        if ((again.codesSeen & (1L << 13)) != 0 || followedByAbort[4] > followedByAbort[3]) return C8Numbering.JUNE_2015;
        if (followedByAbort[3] > followedByAbort[4]) return C8Numbering.MARCH_2015;
        return selected == C8Numbering.JUNE_2015 ? C8Numbering.MARCH_2015 : C8Numbering.JUNE_2015;
    }

    /** The same records read again, tracking what {@link #suspectedNumbering} needs besides markers. */
    private PypyLogReader secondPass() throws IOException {
        try (PypyLogReader again = open(file, displayName, options, new PypyWarnings())) {
            again.tracking = true;
            again.lastCodeOfThread = new byte[1024];
            again.followedByAbort = new long[256];
            for (long n = records(); n > 0 && again.next(); n--) {
                // counting
            }
            return again;
        }
    }

    /** One warning line (without "warning: ") when {@link #suspectedNumbering()} is not null. */
    public String numberingWarning() throws IOException {
        C8Numbering guess = suspectedNumbering();
        if (guess == null || guess == options.numbering()) return null;
        StringBuilder codes = new StringBuilder();
        long n = 0;
        for (int c = 0; c < markersOnCode.length; c++) {
            if (markersOnCode[c] > 0 && !options.numbering().carriesMarker(c)) {
                if (codes.length() > 0) codes.append('/');
                codes.append(c);
                n += markersOnCode[c];
            }
        }
        return displayName + " looks like a C8 log with the " + guess.label() + " event numbering, not "
                + options.numbering().label() + " (" + n + " records of code " + codes
                + " carry a marker, which that code never has in the " + options.numbering().label()
                + " numbering); try --pypy-events " + guess.label();
    }

    @Override
    public void close() throws IOException {
        ahead.close();
        in.close();
    }
}
