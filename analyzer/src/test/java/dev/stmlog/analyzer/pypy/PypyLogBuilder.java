package dev.stmlog.analyzer.pypy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small PyPy-STM logs for tests, record by record (little-endian, packed). */
final class PypyLogBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean c8;

    private PypyLogBuilder(boolean c8) {
        this.c8 = c8;
        raw((c8 ? "STMGC-C8-PROF01\n" : "STMGC-C7-PROF01\n").getBytes(StandardCharsets.US_ASCII));
    }

    static PypyLogBuilder c8() {
        return new PypyLogBuilder(true);
    }

    static PypyLogBuilder c7() {
        return new PypyLogBuilder(false);
    }

    /** A C8 record. */
    PypyLogBuilder rec(long sec, long nsec, long thread, int event, String marker) {
        if (!c8) throw new IllegalStateException("C7 log");
        byte[] m = bytes(marker);
        u32(sec).u32(nsec).u32(thread);
        out.write(event);
        out.write(m.length);
        raw(m);
        return this;
    }

    PypyLogBuilder rec(long sec, long nsec, long thread, int event) {
        return rec(sec, nsec, thread, event, null);
    }

    /** A C8 record at {@code ms} milliseconds after 5000 s (plus 123 ns, as in ReferenceExamplesTest's C8 example). */
    PypyLogBuilder at(double ms, long thread, int event, String marker) {
        return rec(5000, Math.round(ms * 1_000_000) + 123, thread, event, marker);
    }

    PypyLogBuilder at(double ms, long thread, int event) {
        return at(ms, thread, event, null);
    }

    /** A C7 record. */
    PypyLogBuilder rec7(long sec, long nsec, long thread, long other, int event, String m1, String m2) {
        if (c8) throw new IllegalStateException("C8 log");
        byte[] a = bytes(m1);
        byte[] b = bytes(m2);
        u32(sec).u32(nsec).u32(thread).u32(other);
        out.write(event);
        out.write(a.length);
        out.write(b.length);
        raw(a);
        raw(b);
        return this;
    }

    /** A C7 record at {@code ms} milliseconds after 7000 s. */
    PypyLogBuilder at7(double ms, long thread, long other, int event, String m1, String m2) {
        return rec7(7000, Math.round(ms * 1_000_000), thread, other, event, m1, m2);
    }

    PypyLogBuilder raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    private PypyLogBuilder u32(long v) {
        out.write((int) v);
        out.write((int) (v >>> 8));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 24));
        return this;
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
