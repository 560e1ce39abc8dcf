package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Grouping;
import dev.stmlog.analyzer.export.ExportFormat;
import dev.stmlog.analyzer.export.ExportFormats;
import dev.stmlog.format.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code stmlog export}: the logs in another tool's format (trace viewers, flame graphs). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes logs in the format of another tool, with the window and thread filters of top"
                + " (the window's end is --until: --to names the format).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog export --to trace -o app.trace.json app.stmlog      (Perfetto UI, chrome://tracing)",
            "  stmlog export --to collapsed app.stmlog | flamegraph.pl > lost.svg",
            "  stmlog export --to speedscope -o app.speedscope.json app.stmlog",
            "  stmlog export --to trace --from 2 --until 3 --thread worker-1 app.stmlog",
            "",
            "Exit status: 0 when the logs could be read (damage is a warning), 1 when nothing could"
                + " be read, 2 for a wrong command line."})
public final class ExportCommand extends LogCommand {
    @Option(names = "--to", paramLabel = "FORMAT", required = true, completionCandidates = FormatNames.class,
            description = "The format: ${COMPLETION-CANDIDATES}.")
    String to;

    /** The formats' names, for --help and completion. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ExportFormats.ALL.stream().map(ExportFormat::name).iterator();
        }
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
    Path output;

    @Option(names = "--other-side", description = "collapsed, speedscope: the other side of each conflict as a"
            + " pseudo-frame above the victim's line.")
    boolean otherSide;

    // top's window, except that its end is --until here: --to names the format, as in the
    // converters people know (pandoc, jfr); the window's --to would clash with it.
    @Option(names = "--from", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Start of the window, after the recording's start: seconds (1.5) or with a unit (250ms).")
    Long from;

    @Option(names = "--until", paramLabel = "TIME", converter = DurationConverter.class,
            description = "End of the window (top's --to; default: the end of the run).")
    Long until;

    @Option(names = "--thread", paramLabel = "THREAD",
            description = "Only this thread: its id, its name, or FILE:ID (FILE counted from 1) when reading several logs.")
    String thread;

    @Override
    List<String> formats() {
        return List.of("text"); // --to chooses; --format has nothing to say here
    }

    @Override
    int run() throws IOException {
        ExportFormat f = ExportFormats.named(to);
        if (f == null) {
            throw new UsageException("--to: '" + to + "' is not one of "
                    + ExportFormats.ALL.stream().map(ExportFormat::name).collect(Collectors.joining(", ")));
        }
        long fromNanos = from == null ? 0 : from;
        long toNanos = until == null ? Long.MAX_VALUE : until;
        if (toNanos <= fromNanos) throw new UsageException("--until must be after --from");
        if (thread != null && thread.isBlank()) throw new UsageException("--thread needs an id or a name");
        List<Path> files = logFiles();
        AnalysisOptions options = new AnalysisOptions(Grouping.SITE, 1, fromNanos, toNanos, thread);
        ExportFormat.Settings settings = new ExportFormat.Settings(otherSide);
        List<ReadResult> results;
        TerminalProgress p = progress();
        Writer w = output == null ? null : open(output);
        try (w) {
            Appendable out = w != null ? w : out();
            results = f.write(files, options, settings, sourceOptions(), orNone(p), out);
        } catch (IOException e) {
            throw unreadable(files, e);
        } finally {
            if (p != null) p.finish();
            out().flush();
        }
        boolean anything = false;
        for (ReadResult r : results) {
            String damage = Analysis.damageLine(r);
            if (damage != null) warn(damage + " (exported anyway)");
            anything |= r.events() > 0 || !r.damage().isDamaged();
        }
        if (!anything) throw nothingReadFrom(files);
        return 0;
    }

    private static Writer open(Path file) {
        try {
            return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new DataException(file + ": cannot write: " + e.getMessage());
        }
    }
}
