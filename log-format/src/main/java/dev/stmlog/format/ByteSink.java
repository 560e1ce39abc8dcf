package dev.stmlog.format;

import java.util.Arrays;

/** A growable byte array for the writer's rare records (metadata, pools, trailer). */
final class ByteSink {
    private byte[] bytes;
    private int length;

    ByteSink(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    void reset() {
        length = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    ByteSink u8(int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    ByteSink varint(long v) {
        ensure(10);
        length = Bytes.putVarint(bytes, length, v);
        return this;
    }

    ByteSink string(String s) {
        byte[] u = Bytes.utf8(s, Format.MAX_STRING_BYTES);
        varint(u.length);
        ensure(u.length);
        System.arraycopy(u, 0, bytes, length, u.length);
        length += u.length;
        return this;
    }

    /**
     * Writes one record: its size varint, then {@code type}, then the body that
     * {@code body} appends. The body is written first and moved once its size is known.
     */
    void record(int type, java.util.function.Consumer<ByteSink> body) {
        int start = length;
        ensure(4);
        length += 4; // room for the size varint, trimmed below
        u8(type);
        body.accept(this);
        int size = length - start - 4;
        int n = Bytes.varintLength(size);
        System.arraycopy(bytes, start + 4, bytes, start + n, size);
        Bytes.putVarint(bytes, start, size);
        length = start + n + size;
    }
}
