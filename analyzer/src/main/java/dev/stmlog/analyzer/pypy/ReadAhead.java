package dev.stmlog.analyzer.pypy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a file in blocks on a thread of its own, up to two blocks ahead of the parser: copying a
 * large log out of the page cache is a sixth of a pass over it, and this way it runs on another
 * core. Three blocks circulate: the one being parsed, and up to two being filled or waiting. Each
 * block keeps {@code headroom} bytes free at its front, where the parser moves the unread end of
 * the previous block (a record cut by the block boundary) instead of copying whole blocks.
 */
final class ReadAhead implements Closeable {
    private static final int BLOCKS = 3;
    /**
     * Reads start this small and double up to the block size: the JIT profiles the record loop in
     * its first few thousand records, and a block change it never saw there would be compiled as
     * a trap and cost a deoptimisation at the first one.
     */
    private static final int FIRST_READ = 4096;

    /** {@code bytes[headroom, headroom + length)} is the next part of the file; length -1: its end. */
    static final class Block {
        final byte[] bytes;
        int length;
        IOException failure;

        Block(int size) {
            bytes = new byte[size];
        }
    }

    private final FileChannel in;
    private final int headroom;
    private final int blockSize;
    private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
    private final Thread reader;

    /** Starts reading {@code in} from its current position in blocks of up to {@code blockSize} bytes. */
    ReadAhead(FileChannel in, String name, int blockSize, int headroom) throws IOException {
        this.in = in;
        this.headroom = headroom;
        // a small file gets small blocks: tests open hundreds of them
        this.blockSize = (int) Math.max(1, Math.min(blockSize, in.size() - in.position() + 1));
        for (int i = 0; i < BLOCKS; i++) free.add(new Block(headroom + this.blockSize));
        reader = new Thread(new Runnable() { // a class, not a lambda: the first lambda costs a bootstrap
            @Override
            public void run() {
                readAll();
            }
        }, "stmlog-read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        int size = Math.min(FIRST_READ, blockSize);
        try {
            while (true) {
                Block b = free.take();
                try {
                    int n = in.read(ByteBuffer.wrap(b.bytes, headroom, size));
                    b.length = n < 0 ? -1 : n;
                } catch (IOException e) {
                    b.length = -1;
                    b.failure = e;
                }
                filled.put(b);
                if (b.length < 0) return;
                size = Math.min(size * 2, blockSize);
            }
        } catch (InterruptedException e) {
            // closed before the end of the file
        }
    }

    /** The next block in file order (length -1 at the end); throws what reading it threw. */
    Block take() throws IOException {
        Block b;
        try {
            b = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (b.failure != null) throw b.failure;
        return b;
    }

    /** Gives a block back once the parser has moved past it. */
    void recycle(Block b) {
        free.add(b);
    }

    /** Stops the reading thread; the channel is the caller's to close. */
    @Override
    public void close() {
        reader.interrupt();
    }
}
