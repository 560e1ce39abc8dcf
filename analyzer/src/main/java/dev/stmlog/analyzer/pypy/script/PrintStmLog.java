package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.C8Numbering;
import dev.stmlog.analyzer.pypy.PyFormat;
import dev.stmlog.analyzer.pypy.PypyCompatException;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.analyzer.pypy.PypyLogReader;
import dev.stmlog.analyzer.pypy.PypyWarnings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code stmlog top --style pypy}: prints exactly what PyPy's {@code print_stm_log.py} prints for a
 * log — the final C8 script for C8 logs, the C7 script for C7 logs — on stdout, and the same
 * progress and note bytes on stderr (analyzer/docs/pypy-compatibility.md#output, #c7-output).
 *
 * <p>Strict mode also fails where the script fails, with a {@link PypyCompatException} whose
 * message is the last line of Python's traceback, after the same partial stdout. The default mode
 * prints the same bytes wherever the script succeeds, and instead of failing warns and goes on
 * (#quirks); its warnings are returned in {@link Result#warnings()} for the caller to print after
 * the report, so the report's bytes stay the script's.
 */
public final class PrintStmLog {
    /** The C8 script's default maxcount. */
    public static final int C8_DEFAULT_LIMIT = 5;
    /** The C7 script always prints up to 15 conflicts. */
    public static final int C7_LIMIT = 15;

    private static final int C8_BUCKETS = 60;
    private static final int C7_BUCKETS = 48;

    /**
     * @param limit       the script's maxcount (Python slice semantics: negative drops from the
     *                    end); null for the default (5 for C8, 15 for C7). The C7 script takes
     *                    no maxcount, so for C7 logs only an explicit value changes it
     * @param sourceRoots directories relative marker file names are looked up in, first the one
     *                    the script's working directory stands for; empty means the current one
     * @param strict      fail where the script fails
     * @param numbering   the C8 event numbering of the file
     */
    public record Options(Integer limit, List<Path> sourceRoots, boolean strict, C8Numbering numbering) {
        public Options {
            sourceRoots = sourceRoots == null || sourceRoots.isEmpty() ? List.of(Path.of("")) : List.copyOf(sourceRoots);
            if (numbering == null) numbering = C8Numbering.FINAL;
        }

        /** Default limit, working-directory lookup, non-strict, final numbering. */
        public static Options defaults() {
            return new Options(null, List.of(), false, C8Numbering.FINAL);
        }

        public Options withLimit(Integer n) {
            return new Options(n, sourceRoots, strict, numbering);
        }

        public Options withSourceRoots(List<Path> roots) {
            return new Options(limit, roots, strict, numbering);
        }

        public Options withStrict(boolean s) {
            return new Options(limit, sourceRoots, s, numbering);
        }

        public Options withNumbering(C8Numbering n) {
            return new Options(limit, sourceRoots, strict, n);
        }
    }

    /**
     * What a run found besides its output.
     *
     * @param report   the analysis' figures
     * @param warnings lines ({@code warning: ...}, no line ends) for the caller to print on stderr
     *                 after the report: where the default mode went on where the script would
     *                 have failed, and the numbering warning (in strict mode only the latter)
     * @param notes    lines about damage the script passes over in silence (a cut last record,
     *                 dangling bytes); printing them would break byte identity with the script's
     *                 stderr, so callers show them only on request
     */
    public record Result(PypyReport report, List<String> warnings, List<String> notes) {}

    private PrintStmLog() {}

    /** Runs on the log named {@code logArg} as typed (resolved against the working directory). */
    public static Result run(String logArg, Options options, PrintStream out, PrintStream err) throws IOException {
        return run(Path.of(logArg), logArg, options, out, err);
    }

    /**
     * Runs on {@code file}, naming it {@code displayName} in messages.
     *
     * @throws PypyCompatException where the script fails (strict), or when the file cannot be
     *                             analysed at all (wrong format, empty, cannot be opened)
     */
    public static Result run(Path file, String displayName, Options options, PrintStream out, PrintStream err)
            throws IOException {
        PypyWarnings warnings = new PypyWarnings();
        StderrProgress progress = new StderrProgress(err);
        PypyReport report;
        String numberingWarning;
        PypyLogReader.Options ro = new PypyLogReader.Options(options.strict(), options.numbering(), false);
        try (PypyLogReader reader = PypyLogReader.open(file, displayName, ro, warnings)) {
            try {
                report = reader.generation() == PypyGeneration.C8
                        ? new C8Analysis(options.strict(), warnings, progress).run(reader)
                        : new C7Analysis(options.strict(), warnings, progress).run(reader);
            } catch (PypyCompatException e) {
                progress.closeLine();
                throw e;
            }
            numberingWarning = reader.numberingWarning();
        }
        Printer p = new Printer(out, options, new SourceLines(options.sourceRoots()), warnings);
        try {
            if (report.generation() == PypyGeneration.C8) p.c8(report);
            else p.c7(report);
        } finally {
            out.flush();
        }
        List<String> lines = new ArrayList<>();
        if (numberingWarning != null) lines.add(numberingWarning);
        lines.addAll(warnings.lines());
        return new Result(report, List.copyOf(lines), warnings.noteLines());
    }

    /** Python slice {@code list[:limit]} length. */
    static int sliceLength(int n, long limit) {
        if (limit >= 0) return (int) Math.min(limit, n);
        return (int) Math.max(0, n + limit);
    }

    /** Formats a report the way the scripts print it. */
    private static final class Printer {
        private final Bytes o;
        private final Options options;
        private final SourceLines sources;
        private final PypyWarnings warnings;
        private final boolean strict;

        Printer(PrintStream out, Options options, SourceLines sources, PypyWarnings warnings) {
            this.o = new Bytes(out);
            this.options = options;
            this.sources = sources;
            this.warnings = warnings;
            this.strict = options.strict();
        }

        // Lines are assembled with append calls rather than '+': the first string concatenation
        // of a JVM bootstraps an invokedynamic factory (some 25 ms), a tenth of a 3 M-record run.

        void c8(PypyReport r) {
            double totalTime = r.totalTime();
            double total = r.total();
            o.nl();
            o.s("Total real time:     ").s(PyFormat.fixed(totalTime, 3, 9)).s("s").nl();
            summary("CPU time in STM mode:", r.committed(), totalTime, ") committed");
            summary("                     ", r.aborted(), totalTime, ") aborted");
            summary("                     ", r.paused(), totalTime, ") paused");
            summary("                     ", total, totalTime, ") TOTAL");
            summary("           including ", r.minorGc(), totalTime, ") minor GC collections");
            summary("                 and ", r.majorGc(), totalTime, ") major GC collections");
            double n = r.nTransactions();
            String committed = pct(r.nCommitted(), n);
            String aborted = pct(r.nAborted(), n);
            o.s("Total number of transactions: ").s(PyFormat.fixed(n, 0, 6)).s(" committed: ").s(committed)
                    .s(" aborted: ").s(aborted).nl();
            String tps;
            if (total == 0.0) {
                if (strict) throw zeroDivision();
                warnings.warn("Q14", "no CPU time in finished transactions: transactions per second is n/a");
                tps = PyFormat.pad("n/a", 6);
            } else {
                tps = PyFormat.fixed(n / total, 0, 6);
            }
            o.s("     transactions per second: ").s(tps).nl();
            o.nl();
            long limit = options.limit() == null ? C8_DEFAULT_LIMIT : options.limit();
            List<PypyConflict> cs = r.conflicts();
            for (int i = 0, e = sliceLength(cs.size(), limit); i < e; i++) {
                PypyConflict c = cs.get(i);
                // the script builds the time line and looks the source up before printing the block
                String timeline = c8Timeline(c, r);
                byte[] source = sources.lookup(c.marker1(), false, true, strict);
                header(c);
                // an empty REATTACH marker stays a line of two spaces even in the default mode: the
                // placeholder of Q5 is for stmlog's own report styles, this style is the script's bytes
                o.s("  ").b(c.marker1()).nl();
                if (source != null) o.s("    ").b(source).nl();
                o.s("time line: |").s(timeline).s("|").nl();
                o.nl();
            }
        }

        /** One of the CPU-time lines: label, {@code %9.3fs}, {@code (%4s} and the rest. */
        private void summary(String label, double value, double totalTime, String rest) {
            String p = pct(value, totalTime); // may fail (Q13) before anything of the line is written
            o.s(label).s(PyFormat.fixed(value, 3, 9)).s("s (").s(p).s(rest).nl();
        }

        void c7(PypyReport r) {
            double totalTime = r.totalTime();
            o.nl();
            o.s("Total real time:             ").s(PyFormat.fixed(totalTime, 3, 0)).s("s").nl();
            String percent;
            if (totalTime == 0.0) {
                if (strict) throw zeroDivision();
                warnings.warn("Q13", "total real time is 0: percentages are n/a");
                percent = "n/a";
            } else {
                percent = PyFormat.percent(r.totalCpu(), totalTime);
            }
            o.s("Total CPU time in STM mode:  ").s(PyFormat.fixed(r.totalCpu(), 3, 0)).s("s (").s(percent).s(")").nl();
            o.nl();
            long limit = options.limit() == null ? C7_LIMIT : options.limit();
            List<PypyConflict> cs = r.conflicts();
            for (int i = 0, e = sliceLength(cs.size(), limit); i < e; i++) {
                PypyConflict c = cs.get(i);
                String timeline = c7Timeline(c, r);
                byte[] source1 = sources.lookup(c.marker1(), true, false, strict);
                byte[] source2 = c.marker2().length == 0 ? null : sources.lookup(c.marker2(), true, false, strict);
                header(c);
                o.s("  ").b(c.marker1()).nl();
                if (source1 != null) o.s("    ").b(source1).nl();
                if (c.marker2().length > 0) {
                    o.s("  ").b(c.marker2()).nl();
                    if (source2 != null) o.s("    ").b(source2).nl();
                }
                o.s("time line: ").s(timeline).nl();
                o.nl();
            }
        }

        private void header(PypyConflict c) {
            o.s(PyFormat.fixed(c.aborted(), 3, 0)).s("s lost in aborts, ").s(PyFormat.fixed(c.paused(), 3, 0))
                    .s("s paused (").s(Long.toString(c.count())).s("x ").s(c.eventName()).s(")").nl();
        }

        /** {@code %4s} of {@code percent(v, t)}; Q13 in the default mode. */
        private String pct(double v, double t) {
            if (t == 0.0) {
                if (strict) throw zeroDivision();
                warnings.warn("Q13", "a percentage's base is 0 (no real time, or no transactions): printed n/a");
                return PyFormat.pad("n/a", 4);
            }
            return PyFormat.pad(PyFormat.percent(v, t), 4);
        }

        private String c8Timeline(PypyConflict c, PypyReport r) {
            double first = r.firstTs();
            double totalTime = r.totalTime();
            int[] buckets = new int[C8_BUCKETS];
            for (double t : c.timestamps()) {
                int idx = totalTime == 0.0 ? 0 : (int) (((t - first) / totalTime) * C8_BUCKETS);
                if (idx < 0 || idx >= C8_BUCKETS) {
                    if (strict) throw new PypyCompatException("IndexError", "list index out of range", -1);
                    warnings.warn("Q15", "a conflict at the log's last timestamp falls past the time line; "
                            + "shown in its last column");
                    idx = idx < 0 ? 0 : C8_BUCKETS - 1;
                }
                buckets[idx]++;
            }
            int m = 1;
            for (int b : buckets) m = Math.max(m, b);
            StringBuilder s = new StringBuilder(C8_BUCKETS);
            for (int b : buckets) {
                s.append(b == 0 ? ' ' : "_xX".charAt((int) ((double) b / ((double) m + 0.1) * 3)));
            }
            return s.toString();
        }

        private String c7Timeline(PypyConflict c, PypyReport r) {
            double first = r.firstTs();
            double totalTime = r.totalTime();
            boolean[] lit = new boolean[C7_BUCKETS];
            for (double t : c.timestamps()) {
                int idx = totalTime == 0.0 ? 0 : (int) (((t - first) / totalTime) * C7_BUCKETS);
                if (idx < 0 && idx >= -C7_BUCKETS && strict) {
                    idx += C7_BUCKETS; // Python's negative list index
                } else if (idx < 0 || idx >= C7_BUCKETS) {
                    if (strict) throw new PypyCompatException("IndexError", "list index out of range", -1);
                    warnings.warn("Q16", "conflict times out of the log's time range (records out of order); "
                            + "clamped to the time line's ends");
                    idx = idx < 0 ? 0 : C7_BUCKETS - 1;
                }
                lit[idx] = true;
            }
            StringBuilder s = new StringBuilder(C7_BUCKETS);
            for (boolean b : lit) s.append(b ? 'x' : '.');
            return s.toString();
        }

        private static PypyCompatException zeroDivision() {
            return new PypyCompatException("ZeroDivisionError", "float division by zero", -1);
        }

    }

    /** Writes ASCII text and raw bytes to the output; markers and source lines are never decoded. */
    private static final class Bytes {
        private final PrintStream out;

        Bytes(PrintStream out) {
            this.out = out;
        }

        Bytes s(String ascii) {
            for (int i = 0, n = ascii.length(); i < n; i++) out.write(ascii.charAt(i));
            return this;
        }

        Bytes b(byte[] raw) {
            out.write(raw, 0, raw.length);
            return this;
        }

        void nl() {
            out.write('\n');
        }
    }
}
