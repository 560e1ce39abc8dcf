package dev.stmlog.format;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder's fast loop (records of the usual kinds whose size fits a byte and whose fields
 * take at most 4 bytes) decodes exactly as its general path does. A record whose size is written
 * in two bytes, which readers must accept though writers never write it, always takes the general
 * path: the same records, once with each size, must give the same events and the same count of
 * malformed ones. The records are random: every field of every length from 1 to 10 bytes,
 * written shortest or padded, codes in and out of range, fields missing or extra.
 */
class DecodePathsTest {
    private static final int[] TYPES = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x29, 0x2B, 0x2D};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theFastLoopDecodesAsTheGeneralPath(long seed) throws Exception {
        Random r = new Random(seed);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) bodies.add(body(r));
        byte[] shortSizes = file(bodies, false);
        byte[] longSizes = file(bodies, true);
        for (int decoders : new int[] {0, 2}) {
            ParallelDecodingTest.Read fast = ParallelDecodingTest.read(shortSizes, decoders, 1 << 10);
            ParallelDecodingTest.Read general = ParallelDecodingTest.read(longSizes, decoders, 1 << 10);
            assertEquals(general.calls(), fast.calls());
            assertEquals(general.result().events(), fast.result().events());
            assertEquals(general.result().records(), fast.result().records());
            assertEquals(general.result().damage().malformedRecords(), fast.result().damage().malformedRecords());
            assertEquals(general.result().damage().unresolvedReferences(),
                    fast.result().damage().unresolvedReferences());
            assertTrue(fast.result().events() > 1_000, "most records decode");
            assertTrue(fast.result().damage().malformedRecords() > 50, "some do not");
        }
    }

    /** A random record of a fast-loop type: its type byte and body (no size). */
    private static byte[] body(Random r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int type = TYPES[r.nextInt(TYPES.length)];
        b.write(type);
        varint(b, r, r.nextInt(3) == 0 ? 30 : 14); // the time delta
        int fields = switch (type) {
            case 0x20, 0x21 -> 0;
            case 0x22, 0x24, 0x25 -> {
                b.write(r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(6)); // a code, sometimes out of range
                yield 0;
            }
            case 0x23 -> {
                b.write(r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(5)); // the kind
                // without ref and flags, or without the other side's time, now and then (older writers)
                yield switch (r.nextInt(4)) {
                    case 0 -> 5;
                    case 1 -> 7;
                    default -> 8;
                };
            }
            case 0x2D -> 1;
            default -> 2; // 0x29 mark, 0x2B commits
        };
        for (int i = 0; i < fields; i++) varint(b, r, r.nextInt(4) == 0 ? 40 : 12);
        if (r.nextInt(8) == 0) b.write(r.nextInt(256)); // a field from a later version
        byte[] bytes = b.toByteArray();
        if (r.nextInt(12) == 0) return java.util.Arrays.copyOf(bytes, 1 + r.nextInt(bytes.length)); // fields cut short
        return bytes;
    }

    /** A varint of a random value of up to {@code bits} bits, shortest or padded with empty groups. */
    private static void varint(ByteArrayOutputStream b, Random r, int bits) {
        long v = bits == 0 ? 0 : r.nextLong() >>> (64 - 1 - r.nextInt(bits));
        int pad = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 0;
        while (v >= 0x80 || pad > 0) {
            if (v < 0x80) pad--;
            b.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }

    /** The records in chunks of about 2 KiB, their sizes written shortest or in two bytes. */
    private static byte[] file(List<byte[]> bodies, boolean twoByteSizes) {
        ChunkBuilder c = new ChunkBuilder();
        int inChunk = 0;
        long thread = 1;
        for (byte[] body : bodies) {
            if (twoByteSizes || body.length >= 0x80) c.raw(body.length & 0x7F | 0x80, body.length >>> 7);
            else c.raw(body.length);
            for (byte x : body) c.raw(x & 0xFF);
            inChunk += body.length + 2;
            if (inChunk > 2048) {
                c.chunk(thread++ % 3 + 1, 1_000);
                inChunk = 0;
            }
        }
        return c.chunk(thread % 3 + 1, 1_000).bytes();
    }
}
