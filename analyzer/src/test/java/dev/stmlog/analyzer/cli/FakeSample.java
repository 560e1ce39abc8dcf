package dev.stmlog.analyzer.cli;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for a sample, for {@code scale --threads}: writes a log to {@code $STM_LOG} as a
 * run with {@code THREADS} threads in {@code MODE} would, without running anything: a second of
 * wall time, 100 completed operations per thread (fewer per thread as threads grow), each a
 * committed transaction (none in serial mode) and a user mark, in a measured window declared
 * as the samples declare theirs: the marks {@code window.start} at 0 and {@code window.end} at 1 s.
 * <pre>java ... FakeSample THREADS MODE</pre>
 */
public final class FakeSample {
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        String mode = args[1];
        write(Path.of(System.getenv("STM_LOG")), threads, mode, true, operations(threads, mode));
    }

    /** Operations completed in the second: 100 per thread, less 10% per doubling; serial 120. */
    static int operations(int threads, String mode) {
        if (mode.equals("serial")) return 120;
        return (int) Math.round(100 * threads * Math.pow(0.9, Integer.numberOfTrailingZeros(threads)));
    }

    static Path write(Path file, int threads, String mode, boolean withThreadsKey, int operations) throws IOException {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("sample", "fake");
        user.put("mode", mode);
        if (withThreadsKey) user.put("threads", Integer.toString(threads));
        Metadata meta = new Metadata(1, "fake", "test", 2, 0, 1_700_000_000_000_000_000L, 0, user);
        LogWriter log = LogWriter.open(file, meta, WriterOptions.defaults().withCloseOnShutdown(false).withWarnings(w -> { }));
        ThreadWriter main = log.forThread(1);
        main.write(new UserMark(0, 1, "window.start", 0));
        int workers = mode.equals("serial") ? 1 : threads;
        int done = 0;
        for (int t = 0; t < workers; t++) {
            ThreadWriter w = log.forThread(10 + t);
            int mine = operations / workers + (t < operations % workers ? 1 : 0);
            for (int i = 0; i < mine; i++) {
                long end = (i + 1) * 1_000_000_000L / mine; // the last one ends at 1 s: the wall time
                if (!mode.equals("serial")) {
                    w.write(new TxStart(end - 1_000_000, 10 + t));
                    w.write(new TxCommit(end, 10 + t));
                }
                w.write(new UserMark(end, 10 + t, "op", 1));
                done++;
            }
        }
        main.write(new UserMark(1_000_000_000L, 1, "window.end", 0));
        log.close();
        if (done != operations) throw new AssertionError();
        return file;
    }
}
