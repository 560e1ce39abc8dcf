package dev.stmlog.analyzer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/** A file channel that reports the bytes read so far. */
final class CountingChannel implements ReadableByteChannel {
    private final FileChannel in;
    private final String name;
    private final long size;
    private final Progress progress;
    private long done;

    CountingChannel(FileChannel in, String name, Progress progress) throws IOException {
        this.in = in;
        this.name = name;
        this.size = in.size();
        this.progress = progress;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = in.read(dst);
        if (n > 0) {
            done += n;
            progress.read(name, done, size);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
