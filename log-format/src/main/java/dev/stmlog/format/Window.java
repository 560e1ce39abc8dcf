package dev.stmlog.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * A sliding window over a channel: the bytes {@code buf[start, end)} are the file's bytes from
 * {@link #offset()} on. It grows only while the channel actually delivers bytes, so a hostile
 * length can make it no larger than twice the data behind it (and never past the largest chunk).
 */
final class Window {
    private static final int INITIAL = 256 << 10;
    private static final int MAX = Format.CHUNK_HEADER + Format.MAX_CHUNK_PAYLOAD;

    private final ReadableByteChannel in;
    byte[] buf = new byte[INITIAL];
    int start;
    int end;
    private long bufOffset; // file offset of buf[0]
    private boolean eof;

    Window(ReadableByteChannel in, long firstOffset) {
        this.in = in;
        this.bufOffset = firstOffset;
    }

    /** File offset of {@code buf[start]}. */
    long offset() {
        return bufOffset + start;
    }

    int available() {
        return end - start;
    }

    /** Makes at least {@code n} bytes available; false when the file ends first. */
    boolean fill(int n) throws IOException {
        while (end - start < n) {
            if (eof) return false;
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    bufOffset += start;
                    end -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, Math.min(MAX, Math.max(buf.length * 2, INITIAL)));
                }
            }
            int r = in.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (r < 0) eof = true;
            else end += r;
        }
        return true;
    }

    void consume(int n) {
        start += n;
    }

    /**
     * Forgets that the channel ended, so that the next {@link #fill} reads it again: for a file
     * that is still being written ({@link LogTail}), whose end moves on.
     */
    void resume() {
        eof = false;
    }

    /**
     * Moves to the next chunk marker after the current position, or to the end of the file
     * when there is none.
     */
    void skipToNextMarker() throws IOException {
        skipToNextMarker(false);
    }

    /**
     * As {@link #skipToNextMarker()}; when {@code live} (the file is still being written), a
     * search that reaches the end of the bytes there are keeps the last three of them, which may
     * begin a marker still being written, instead of moving to the end.
     */
    void skipToNextMarker(boolean live) throws IOException {
        start++;
        while (true) {
            for (int i = start; i + 4 <= end; i++) {
                if (buf[i] == 'C' && buf[i + 1] == 'H' && buf[i + 2] == 'N' && buf[i + 3] == 'K') {
                    start = i;
                    return;
                }
            }
            // keep the last three bytes: a marker may straddle the refill
            start = Math.max(start, end - 3);
            if (!fill(end - start + 1)) {
                if (!live) start = end;
                return;
            }
        }
    }
}
