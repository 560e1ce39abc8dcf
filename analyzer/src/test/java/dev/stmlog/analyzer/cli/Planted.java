package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.TestLog;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.WaitKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.stmlog.analyzer.TestLog.MS;
import static dev.stmlog.analyzer.TestLog.S;
import static dev.stmlog.analyzer.TestLog.frame;

/**
 * A log with conflicts planted at known frames and times, and what they must cost:
 * <pre>
 * thread 1 "alpha": 1.000 start, 1.004 WRITE_WRITE at A (label "account#1", other side D on thread 2),
 *                   1.005 abort (5 ms lost at A), backoff 1.005-1.006 (1 ms paused at A),
 *                   1.006 start, 1.016 commit (10 ms);
 *                   2.000 start, 2.010 WRITE_WRITE at A, 2.020 abort (20 ms lost at A),
 *                   2.020 start, 2.030 commit (10 ms)
 * thread 2 "beta":  1.000 start, lock wait 1.001-1.003 (2 ms paused, no contention: WAIT_LOCK),
 *                   1.007 WRITE_READ at B (label "account#2"), 1.008 abort (8 - 2 = 6 ms lost at B),
 *                   1.010 start, 1.020 commit (10 ms);
 *                   3.000 start, 3.0005 abort by exception (0.5 ms lost at ABORT_EXCEPTION)
 * GC: 2 ms at 1.5 s.
 * </pre>
 * So committed 30 ms, aborted 31.5 ms, paused 3 ms; A 25 ms lost + 1 ms paused (2x), B 6 ms (1x).
 */
final class Planted {
    static final Frame A = frame("com.example.Bank", "transfer", "Bank.java", 42);
    static final Frame A_CALLER = frame("com.example.Teller", "serve", "Teller.java", 7);
    static final Frame B = frame("com.example.Bank", "audit", "Bank.java", 99);
    static final Frame D = frame("com.example.Bank", "deposit", "Bank.java", 57);
    static final Frame RUNTIME = frame("dev.stmlog.runtime.Ref", "set", "Ref.java", 120);

    /** A's line (the victim of the first site, and the other side of the second). */
    static final String A_LINE = "from.set(from.get() - amount);";
    /** D's line (the other side of the first site), with characters that HTML must escape. */
    static final String D_LINE = "if (amount < limit && to != null) to.set(to.get() + amount);";

    /**
     * Writes {@code com/example/Bank.java} under {@code dir}, for {@code --source-path}: A's and
     * D's lines at 42 and 57, {@code // line N} at every other line (so B's line 99 too).
     */
    static Path sources(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("com/example"));
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            b.append(i == 42 ? "        " + A_LINE : i == 57 ? "        " + D_LINE : "// line " + i).append('\n');
        }
        Files.writeString(dir.resolve("com/example/Bank.java"), b);
        return dir;
    }

    /**
     * The planted log's header followed by 4,096 bytes with no chunk marker: a log of which
     * nothing can be read.
     */
    static Path writeUnreadable(Path file) throws IOException {
        byte[] clean = Files.readAllBytes(write(file));
        int header = 12 + ((clean[10] & 0xFF) | (clean[11] & 0xFF) << 8); // magic, version, writer version
        byte[] bytes = java.util.Arrays.copyOf(clean, header + 4096);
        for (int i = header; i < bytes.length; i++) bytes[i] = (byte) (i * 31 + 7); // no CHNK marker
        return Files.write(file, bytes);
    }

    static Path write(Path file) throws IOException {
        return new TestLog()
                .name(1, "alpha").name(2, "beta")
                .start(1, 1000 * MS)
                .contention(1, 1004 * MS, ContentionKind.WRITE_WRITE, 2, List.of(RUNTIME, A, A_CALLER), List.of(D), "account#1")
                .abort(1, 1005 * MS)
                .waitBegin(1, 1005 * MS, WaitKind.BACKOFF).waitEnd(1, 1006 * MS, WaitKind.BACKOFF)
                .start(1, 1006 * MS).commit(1, 1016 * MS)
                .start(1, 2000 * MS)
                .contention(1, 2010 * MS, ContentionKind.WRITE_WRITE, 2, List.of(RUNTIME, A, A_CALLER), List.of(D), "account#1")
                .abort(1, 2020 * MS)
                .start(1, 2020 * MS).commit(1, 2030 * MS)
                .start(2, 1000 * MS)
                .waitBegin(2, 1001 * MS, WaitKind.LOCK).waitEnd(2, 1003 * MS, WaitKind.LOCK)
                .contention(2, 1007 * MS, ContentionKind.WRITE_READ, 1, List.of(B), List.of(A), "account#2")
                .abort(2, 1008 * MS)
                .start(2, 1010 * MS).commit(2, 1020 * MS)
                .gc(2, 1500 * MS, 2 * MS)
                .start(2, 3 * S).abort(2, 3 * S + 500_000, AbortCause.EXCEPTION)
                .write(file);
    }
}
