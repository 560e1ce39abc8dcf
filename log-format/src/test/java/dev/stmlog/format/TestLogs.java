package dev.stmlog.format;

import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds logs in memory and reads them back, for the tests. */
final class TestLogs {
    private TestLogs() {}

    static final long ORIGIN = 5_000_000_000L;

    static Metadata metadata() {
        return new Metadata(4242, "java -jar app.jar --threads 2", "OpenJDK 64-Bit Server VM 17", 2, 2,
                1_700_000_000_000_000_000L, ORIGIN, Map.of("mode", "stm"));
    }

    /** Options for tests: no shutdown hook, warnings into {@code warnings}. */
    static WriterOptions options(List<String> warnings) {
        return WriterOptions.defaults().withCloseOnShutdown(false).withBufferSize(16 << 10)
                .withWarnings(warnings::add);
    }

    /** A channel that keeps what is written in memory. */
    static final class MemoryChannel implements WritableByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean open = true;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            bytes.write(b, 0, n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Writes a log with {@code body} and returns its bytes. */
    static byte[] write(WriterOptions options, Consumer<LogWriter> body) throws IOException {
        MemoryChannel ch = new MemoryChannel();
        LogWriter w = LogWriter.open(ch, "memory.stmlog", metadata(), options);
        body.accept(w);
        w.close();
        return ch.bytes.toByteArray();
    }

    /** Writes {@code events}, each through the synthetic writer of its thread. */
    static byte[] writeEvents(WriterOptions options, List<Event> events) throws IOException {
        return write(options, log -> {
            Map<Long, ThreadWriter> writers = new java.util.HashMap<>();
            for (Event e : events) writers.computeIfAbsent(e.thread(), log::forThread).write(e);
        });
    }

    record Read(List<Event> events, ReadResult result) {}

    static Read read(byte[] file) throws IOException {
        List<Event> events = new ArrayList<>();
        try (LogReader r = LogReader.open(Channels.newChannel(new ByteArrayInputStream(file)), "memory.stmlog")) {
            ReadResult result = r.read(events::add);
            return new Read(events, result);
        }
    }

    /** A record as the spec lays it out, found by walking the bytes independently of the reader. */
    record RawRecord(int chunk, long thread, int type, long time, int start, int end) {}

    /** A chunk as the spec lays it out. */
    record RawChunk(int index, int start, int end, long thread) {}

    /** Walks a well-formed file's chunks (FORMAT.md, "Chunks"). */
    static List<RawChunk> chunks(byte[] f) {
        List<RawChunk> out = new ArrayList<>();
        int p = 12 + Bytes.getU16(f, 10);
        while (p < f.length) {
            int len = Bytes.getU32(f, p + 4);
            out.add(new RawChunk(out.size(), p, p + 36 + len, Bytes.getU64(f, p + 16)));
            p += 36 + len;
        }
        return out;
    }

    /** Walks a well-formed file's records (FORMAT.md, "Records"), with their times. */
    static List<RawRecord> records(byte[] f) {
        List<RawRecord> out = new ArrayList<>();
        for (RawChunk c : chunks(f)) {
            long t = Bytes.getU64(f, c.start() + 24);
            int p = c.start() + 36;
            while (p < c.end()) {
                int start = p;
                long size = 0;
                int shift = 0;
                byte x;
                do {
                    x = f[p++];
                    size |= (long) (x & 0x7F) << shift;
                    shift += 7;
                } while (x < 0);
                int type = f[p] & 0xFF;
                if (type >= 0x20 && type <= 0x7F) {
                    long d = 0;
                    shift = 0;
                    int q = p + 1;
                    do {
                        x = f[q++];
                        d |= (long) (x & 0x7F) << shift;
                        shift += 7;
                    } while (x < 0);
                    t += d;
                }
                p += (int) size;
                out.add(new RawRecord(c.index(), c.thread(), type, t, start, p));
            }
        }
        return out;
    }
}
