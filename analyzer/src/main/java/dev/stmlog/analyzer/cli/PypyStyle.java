package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.PypySource;
import dev.stmlog.analyzer.pypy.C8Numbering;
import dev.stmlog.analyzer.pypy.PypyCompatException;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.analyzer.pypy.script.PrintStmLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code top --style pypy}: for a PyPy-STM log, what PyPy's {@code print_stm_log.py} prints,
 * byte for byte, on stdout and stderr. The report's bytes go to the process's stdout unchanged
 * (a marker need not be UTF-8); warnings where the original would have failed follow on stderr.
 *
 * <p>This style is timed against the original script, JVM start included, and picocli's start-up
 * costs more than analysing a 3-million-record log: some 180 classes compiled for Java 5, which
 * class-data sharing cannot archive, loaded, verified and run interpreted to build the command's
 * model by reflection. So {@link #parsePlain} reads a plain command line of this style itself;
 * anything it is not sure of (help, a repeated option, an option it does not know, an
 * {@code @file}, {@code --}) it leaves to picocli, so messages and usage stay picocli's.
 */
final class PypyStyle {
    /**
     * What the style takes from the command line.
     *
     * @param limit      {@code --limit}, or null when not given (the script's default applies)
     * @param pypyEvents the {@code --pypy-events} value, checked when run
     */
    record Request(List<String> logs, Integer limit, boolean strict, String pypyEvents, List<Path> sourcePath) {}

    private final Request request;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The process's own stdout and stderr, or null in tests (then the writers get decoded text). */
    private final OutputStream rawOut;
    private final OutputStream rawErr;

    PypyStyle(Request request, PrintWriter out, PrintWriter err, OutputStream rawOut, OutputStream rawErr) {
        this.request = request;
        this.out = out;
        this.err = err;
        this.rawOut = rawOut;
        this.rawErr = rawErr;
    }

    /**
     * The request of {@code args} when they are {@code top --style pypy} with only options this
     * class reads exactly as picocli would ({@code --limit}/{@code -n}, {@code --strict},
     * {@code --source-path}, {@code --pypy-events}, and {@code --no-pager} and {@code --exact},
     * which this style ignores), each at most once, and one log; null for anything else.
     */
    static Request parsePlain(String[] args) {
        if (args.length < 2 || !args[0].equals("top")) return null;
        Map<String, String> options = new HashMap<>(); // name (-n is --limit) -> value, "" for a flag
        String log = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') return null; // picocli reads @FILE as more arguments
            if (a.charAt(0) != '-') {
                if (log != null) return null;
                log = a;
                continue;
            }
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String name = eq > 0 ? a.substring(0, eq) : a.equals("-n") ? "--limit" : a;
            String value;
            switch (name) {
                case "--strict", "--no-pager", "--exact" -> {
                    if (eq > 0) return null;
                    value = "";
                }
                case "--style", "--limit", "--pypy-events", "--source-path" -> {
                    if (eq > 0) value = a.substring(eq + 1);
                    else if (++i < args.length) value = args[i];
                    else return null;
                    if (value.isEmpty() || value.charAt(0) == '@') return null;
                }
                default -> {
                    return null;
                }
            }
            if (options.put(name, value) != null) return null; // given twice
        }
        String style = options.get("--style");
        if (log == null || style == null || !style.equalsIgnoreCase("pypy")) return null;
        String limit = options.get("--limit");
        if (limit != null && !isPlainInt(limit)) return null;
        String pypyEvents = options.getOrDefault("--pypy-events", "final");
        String sourcePath = options.getOrDefault("--source-path", "");
        List<Path> roots = sourcePath.isEmpty() ? List.of() : splitPath(sourcePath);
        // a value starting with '-' may be an option to picocli
        if (pypyEvents.charAt(0) == '-' || roots == null || sourcePath.startsWith("-")) return null;
        return new Request(List.of(log), limit == null ? null : Integer.parseInt(limit), options.containsKey("--strict"),
                pypyEvents, roots);
    }

    /** An int as picocli reads it, written the one way that leaves no doubt: no '+', no leading 0, no overflow. */
    private static boolean isPlainInt(String s) {
        int start = s.charAt(0) == '-' ? 1 : 0;
        int digits = s.length() - start;
        if (digits < 1 || digits > 9 || (s.charAt(start) == '0' && s.length() > 1)) return false;
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    /** {@code DIR[:DIR...]}; null when empty parts or quotes would need picocli's own rules. */
    private static List<Path> splitPath(String value) {
        String separator = java.io.File.pathSeparator;
        if (value.indexOf('"') >= 0 || value.indexOf('\'') >= 0) return null;
        List<Path> paths = new ArrayList<>();
        int from = 0;
        while (true) {
            int to = value.indexOf(separator, from);
            String part = to < 0 ? value.substring(from) : value.substring(from, to);
            if (part.isEmpty()) return null;
            paths.add(Path.of(part));
            if (to < 0) return paths;
            from = to + separator.length();
        }
    }

    int run() {
        if (request.logs().size() != 1) throw new UsageException("--style pypy reads one log, as print_stm_log.py does");
        List<Path> files = LogCommand.logFiles(request.logs());
        if (files.size() != 1) throw new UsageException("--style pypy reads one log, not a directory of them");
        Path file = files.get(0);
        try {
            if (PypyGeneration.detect(file) == null) {
                throw new DataException(file + ": not a PyPy-STM log (--style pypy reads STMGC-C7-PROF01 and STMGC-C8-PROF01 logs)");
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        PrintStmLog.Options options = PrintStmLog.Options.defaults()
                .withLimit(request.limit())
                .withStrict(request.strict())
                .withNumbering(C8Numbering.parse(LogCommand.checked(PypySource.EVENTS, request.pypyEvents())));
        if (!request.sourcePath().isEmpty()) options = options.withSourceRoots(request.sourcePath());

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        out.flush();
        err.flush();
        // Progress goes out as it comes when there is a real stderr, as the original's does.
        PrintStream progressStream = rawErr != null ? new PrintStream(rawErr, true) : new PrintStream(progress);
        try {
            PrintStmLog.Result result = PrintStmLog.run(request.logs().get(0), options, new PrintStream(report), progressStream);
            emit(report, progress);
            for (String warning : result.warnings()) BaseCommand.warn(err, warning);
            return 0;
        } catch (PypyCompatException e) {
            emit(report, progress); // the original printed this much before it failed
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            emit(report, progress);
            throw new DataException(file + ": " + e.getMessage());
        } finally {
            progressStream.flush();
        }
    }

    /** Writes what was printed: as bytes to the real streams, or decoded into the writers in tests. */
    private void emit(ByteArrayOutputStream report, ByteArrayOutputStream progress) {
        if (progress.size() > 0) {
            err.print(progress.toString(StandardCharsets.UTF_8));
            err.flush();
        }
        if (rawOut == null) {
            out.print(report.toString(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        try {
            report.writeTo(rawOut);
            rawOut.flush();
        } catch (IOException e) {
            throw new DataException("cannot write to stdout: " + e.getMessage());
        }
    }
}
