package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.analyzer.SourceLines;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.reports.ReportFormats;
import dev.stmlog.reports.ReportWriter;
import dev.stmlog.reports.TextOptions;
import dev.stmlog.reports.View;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * What every verb shares: {@code --format}, {@code --no-pager}, {@code --exact}, the output
 * (paged or not), warnings on stderr and the progress line. Verbs return their exit status, or
 * throw {@link UsageException} (2) or {@link DataException} (1).
 */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Stmlog root;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatName.class,
            description = "Output format: text (the default), csv or json; not every verb has all three.")
    String format = "text";

    @Option(names = "--no-pager", description = "Never page the output (by default a terminal's output goes through $PAGER, or less -FRX).")
    boolean noPager;

    @Option(names = "--exact", description = "Raw numbers: seconds to the nanosecond and counts without separators, instead of 1.2 ms and 12,345.")
    boolean exact;

    /** The view this verb writes in the chosen {@code --format}; null for a verb that writes none. */
    Class<? extends View> view() {
        return null;
    }

    /** The formats this verb can write: those that write its view (every one, for a verb that writes none). */
    List<String> formats() {
        return view() == null ? ReportFormats.names() : ReportFormats.namesFor(view());
    }

    /**
     * An unknown format is a usage error when the command line is parsed, naming the formats
     * there are (in the words picocli used when the formats were an enum).
     */
    static final class FormatName implements ITypeConverter<String> {
        @Override
        public String convert(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> names = ReportFormats.names();
            if (!names.contains(lower)) {
                throw new TypeConversionException("expected one of " + names.stream().map(n -> n.toUpperCase(Locale.ROOT))
                        .toList() + " (case-insensitive) but was '" + name + "'");
            }
            return lower;
        }
    }

    @Override
    public final Integer call() throws Exception {
        if (!formats().contains(format)) {
            throw new UsageException("--format " + format + " is not available for " + spec.name() + " (use "
                    + String.join(" or ", formats()) + ")");
        }
        return run();
    }

    abstract int run() throws Exception;

    Environment env() {
        return root != null ? root.environment() : Environment.plain(java.util.Map.of());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Output output() {
        return Output.open(out(), env(), noPager);
    }

    TextOptions textOptions() {
        return new TextOptions(exact, env().color());
    }

    /** The chosen format's writer. */
    ReportWriter writer() {
        return ReportFormats.named(format, textOptions());
    }

    /** Writes {@code view} in the chosen format to the output, paged or not. */
    void write(View view) {
        try (Output o = output()) {
            writer().write(view, o.writer());
        }
    }


    /** One line on stderr: {@code stmlog: warning: ...}. */
    void warn(String message) {
        warn(err(), message);
    }

    static void warn(PrintWriter err, String message) {
        err.println("stmlog: warning: " + message);
        err.flush();
    }

    /** A progress line on stderr while reading, when stderr is a terminal. */
    TerminalProgress progress() {
        return env().stderrTerminal() ? new TerminalProgress(err()) : null;
    }

    static Progress orNone(TerminalProgress p) {
        return p == null ? Progress.NONE : p;
    }

    static String lower(Enum<?>... values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }

    /**
     * Reads and aggregates {@code files}; warns on stderr, one line per damaged log and one
     * line for all unexpected sequences. Fails only when nothing at all could be read.
     */
    Analysis analyze(List<Path> files, AnalysisOptions options, dev.stmlog.analyzer.LogSource.Options source) {
        return analyze(files, options, source, 0);
    }

    /** As above, keeping up to {@code spansPerThread} sampled spans per thread for a time line. */
    Analysis analyze(List<Path> files, AnalysisOptions options, dev.stmlog.analyzer.LogSource.Options source,
                     int spansPerThread) {
        Analysis a = analyzeEvenIfNothingRead(files, options, source, spansPerThread);
        if (nothingRead(a)) throw nothingReadFrom(files);
        return a;
    }

    /** True when the logs were damaged and not one event could be recovered from them. */
    static boolean nothingRead(Analysis a) {
        return a.events() == 0 && a.damage().isDamaged();
    }

    static DataException nothingReadFrom(List<Path> files) {
        return new DataException("nothing could be read from " + String.join(", ", files.stream().map(Path::toString).toList()));
    }

    /** The one-line error for logs that could not be read at all: the file, and why. */
    static DataException unreadable(List<Path> files, IOException e) {
        if (e instanceof LogFormatException) return new DataException(e.getMessage());
        if (e instanceof NoSuchFileException n) return new DataException(n.getFile() + ": no such file");
        if (e instanceof AccessDeniedException d) {
            return new DataException(d.getFile() + ": cannot read the file (permission denied)");
        }
        return new DataException("cannot read " + files + ": " + e.getMessage());
    }

    /** As {@link #analyze}, but returns the (empty, damaged) analysis when nothing could be read. */
    Analysis analyzeEvenIfNothingRead(List<Path> files, AnalysisOptions options,
                                      dev.stmlog.analyzer.LogSource.Options source, int spansPerThread) {
        TerminalProgress p = progress();
        Analysis a;
        try {
            a = Analyzer.analyze(files, options, source, orNone(p), spansPerThread);
        } catch (IOException e) {
            throw unreadable(files, e);
        } finally {
            if (p != null) p.finish();
        }
        for (String line : a.damageLines()) warn(line + " (analysed anyway)");
        if (a.unexpected().total() > 0) {
            warn(a.unexpected().total() + " unexpected event sequence(s) were counted and resynchronised: "
                    + a.unexpected().describe());
        }
        return a;
    }

    /** Runs {@code top} on an analysis and writes it in the chosen format. */
    int writeTop(Analysis a, TopOptions top) {
        write(a.top(top.sort, top.limit, new SourceLines(top.sourcePath)));
        return 0;
    }
}
