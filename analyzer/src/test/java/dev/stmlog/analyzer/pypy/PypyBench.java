package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PrintStmLog;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.util.List;

/**
 * What {@code stmlog top --style pypy LOG} does, as a bare main for timing end to end with the
 * JVM start: {@code time java -cp ... dev.stmlog.analyzer.pypy.PypyBench LOG [strict]}. The report
 * goes to stdout; records/s of the run (after JVM start) go to stderr.
 */
public final class PypyBench {
    private PypyBench() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
        PrintStmLog.Options o = PrintStmLog.Options.defaults().withSourceRoots(List.of())
                .withStrict(args.length > 1 && args[1].equals("strict"));
        PrintStmLog.Result r = PrintStmLog.run(args[0], o, out, System.err);
        out.flush();
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf("%d records in %.3f s after JVM start: %.1f M records/s%n", r.report().records(), s,
                r.report().records() / s / 1e6);
    }
}
