package dev.stmlog.analyzer.pypy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a large, realistic C8 log (final numbering) for benchmarks: 8 threads running short
 * transactions, mostly START/COMMIT with a minor collection now and then; a few percent of
 * transactions are aborted by a write-read conflict or become inevitable (some of those wait for
 * another inevitable transaction), at 40 sites of Zipf-like popularity; an occasional major
 * collection pauses the others. Deterministic (fixed seed), time never decreases, and every
 * sequence is one the strict analysis accepts.
 *
 * <p>{@code java -cp ... dev.stmlog.analyzer.pypy.LargePypyLogGenerator out.stmlog 3000000}
 */
public final class LargePypyLogGenerator {
    private static final int THREADS = 8;
    private static final int SITES = 40;

    private final OutputStream out;
    private final byte[] rec = new byte[14 + 255];
    private final SplittableRandom rnd = new SplittableRandom(20151105);
    private final byte[][] markers = new byte[SITES][];
    private long time = 1_000_000L * 1_000_000_000L / 1000; // 1000 s, in ns
    private long written;

    private LargePypyLogGenerator(OutputStream out) {
        this.out = out;
        String[] files = {"app/models.py", "app/views.py", "lib/cache.py", "lib/pool.py", "net/server.py"};
        String[] funcs = {"update", "handle", "get", "put", "flush", "run", "merge", "commit"};
        for (int i = 0; i < SITES; i++) {
            String m = "File \"" + files[i % files.length] + "\", line " + (10 + 7 * i) + ", in "
                    + funcs[(i * 3) % funcs.length] + " (#" + (2 * i + 1) + ")";
            markers[i] = m.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Writes {@code records} records (or a few more, to finish the last step) to {@code path}. */
    public static long generate(Path path, long records) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            LargePypyLogGenerator g = new LargePypyLogGenerator(o);
            o.write("STMGC-C8-PROF01\n".getBytes(StandardCharsets.US_ASCII));
            g.run(records);
            return g.written;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LargePypyLogGenerator <out.stmlog> <records>");
            System.exit(2);
        }
        long n = generate(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println(n + " records, " + Files.size(Path.of(args[0])) + " bytes");
    }

    private int site() {
        // Zipf-like: a few hot sites, a long tail
        double u = rnd.nextDouble();
        return (int) Math.min(SITES - 1, Math.floor(SITES * u * u * u));
    }

    private void run(long records) throws IOException {
        boolean[] inTx = new boolean[THREADS + 1];
        int inevitableOwner = 0; // a thread whose transaction is inevitable, 0 = none
        while (written < records) {
            time += 200 + rnd.nextInt(3000);
            int t = 1 + rnd.nextInt(THREADS);
            if (!inTx[t]) {
                emit(t, 0, null); // START
                inTx[t] = true;
                continue;
            }
            int roll = rnd.nextInt(1000);
            if (roll < 25) { // write-read conflict, then abort
                emit(t, 6, markers[site()]);
                time += 100 + rnd.nextInt(500);
                emit(t, 2, null);
                inTx[t] = false;
                if (inevitableOwner == t) inevitableOwner = 0;
            } else if (roll < 40 && inevitableOwner != t) { // become inevitable, maybe after a wait
                emit(t, 5, markers[site()]);
                if (inevitableOwner != 0) {
                    emit(t, 10, null);
                    time += 1000 + rnd.nextInt(20000);
                    emit(t, 11, null);
                }
                inevitableOwner = t;
            } else if (roll < 42) { // a major collection by t, the others pause
                emit(t, 14, null);
                for (int o = 1; o <= THREADS; o++) {
                    if (o != t && inTx[o]) emit(o, 9, null);
                }
                time += 50_000 + rnd.nextInt(100_000);
                for (int o = 1; o <= THREADS; o++) {
                    if (o != t && inTx[o]) emit(o, 11, null);
                }
                emit(t, 15, null);
            } else if (roll < 200) { // a minor collection inside the transaction
                emit(t, 12, null);
                time += 500 + rnd.nextInt(2000);
                emit(t, 13, null);
            } else { // commit
                emit(t, 1, null);
                inTx[t] = false;
                if (inevitableOwner == t) inevitableOwner = 0;
            }
        }
    }

    private void emit(int thread, int event, byte[] marker) throws IOException {
        long sec = time / 1_000_000_000L;
        long nsec = time % 1_000_000_000L;
        put32(0, sec);
        put32(4, nsec);
        put32(8, thread);
        rec[12] = (byte) event;
        int len = marker == null ? 0 : marker.length;
        rec[13] = (byte) len;
        if (len > 0) System.arraycopy(marker, 0, rec, 14, len);
        out.write(rec, 0, 14 + len);
        written++;
    }

    private void put32(int at, long v) {
        rec[at] = (byte) v;
        rec[at + 1] = (byte) (v >>> 8);
        rec[at + 2] = (byte) (v >>> 16);
        rec[at + 3] = (byte) (v >>> 24);
    }
}
