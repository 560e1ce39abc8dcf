package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Comparison;
import dev.stmlog.reports.DiffView;
import dev.stmlog.analyzer.export.Profiles;
import dev.stmlog.reports.export.StackProfile;
import dev.stmlog.analyzer.SourceLines;
import dev.stmlog.reports.ReportFolder;
import dev.stmlog.reports.ReportView;
import dev.stmlog.reports.TopView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code stmlog report}: a self-contained HTML page, PNG charts and CSV files. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes a report of one or more logs into a directory: index.html (one self-contained page:"
                + " the summary, a sortable and filterable table of sites with both sides of each conflict"
                + " and its time line, a flame graph of the time lost by stack, the threads, and the charts inline), the charts as PNG files (time"
                + " lost per site, where the threads' time went, transactions per thread over time,"
                + " conflicts over time) and CSV files (sites.csv, threads.csv, transactions.csv,"
                + " conflicts.csv; times in seconds).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog report -o report app.stmlog && xdg-open report/index.html",
            "  stmlog report --limit 50 --by pair --depth 3 -o report logs/",
            "  stmlog report --from 10 --to 20 -o window app.stmlog",
            "  stmlog report --baseline before.stmlog -o report after.stmlog   (with each site's change since before)",
            "",
            "The per-thread time line keeps at most --spans spans per thread, evenly sampled over the"
                + " run (the chart says so when it sampled).",
            "Exit status: 0 success, 1 bad data or an unwritable directory, 2 for a wrong command line."})
public final class ReportCommand extends LogCommand {
    @Mixin
    TopOptions top;

    @Mixin
    WindowOptions window;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "Directory to write index.html, the PNGs and the CSV files into (created if needed).")
    Path output;

    @Option(names = "--baseline", paramLabel = "LOG",
            description = "A log (or directory) to compare with, repeatable: adds a section with each row's change"
                    + " against it, as 'stmlog diff BASELINE LOG' prints it.")
    List<String> baseline = new java.util.ArrayList<>();

    @Option(names = "--spans", paramLabel = "N",
            description = "Transaction and wait spans kept per thread for the time line (default: ${DEFAULT-VALUE}).")
    int spans = 2000;

    /** Columns of the conflicts-over-time chart. */
    static final int CONFLICT_COLUMNS = 120;

    /** Its report is a folder, whatever --format says; only the line saying where it went is printed, as text. */
    @Override
    List<String> formats() {
        return List.of("text");
    }

    @Override
    int run() {
        top.check();
        window.check();
        if (spans < 2 || spans > 1_000_000) throw new UsageException("--spans must be between 2 and 1000000");
        AnalysisOptions options = new AnalysisOptions(top.by, top.depth, window.fromNanos(), window.toNanos(), window.thread,
                top.estimateUntimed);
        List<Path> files = logFiles();
        Analysis a = analyze(files, options, sourceOptions(), spans);
        TopView view = a.top(top.sort, top.limit, new SourceLines(top.sourcePath));
        StackProfile lostByStack;
        try {
            // a second pass: the flame graph needs whole stacks, the table --depth frames
            lostByStack = Profiles.lostByStack(files, options, sourceOptions());
        } catch (IOException e) {
            throw unreadable(files, e);
        }
        DiffView comparison = baseline.isEmpty() ? null : compare(files, a, options);
        ReportView report = new ReportView(view, a.timelines(), a.conflictSeries(CONFLICT_COLUMNS), spans, lostByStack,
                comparison);
        List<Path> written;
        try {
            written = ReportFolder.writeReport(report, output);
        } catch (IOException e) {
            throw new DataException(output + ": cannot write the report: " + e.getMessage());
        }
        out().println("stmlog: wrote " + output.resolve("index.html") + " and " + (written.size() - 1) + " other files");
        out().flush();
        return 0;
    }

    /** The comparison of the logs with --baseline's, as {@code diff} makes it. */
    private DiffView compare(List<Path> files, Analysis a, AnalysisOptions options) {
        List<Path> baseFiles = logFiles(baseline);
        Analysis before = analyze(baseFiles, options, sourceOptions());
        boolean whole = !options.windowed() && options.thread() == null;
        try {
            return Comparison.of(before, Comparison.throughput(baseFiles, whole ? before : null, sourceOptions()), a,
                    Comparison.throughput(files, whole ? a : null, sourceOptions()), top.sort,
                    new SourceLines(top.sourcePath)).view(top.limit);
        } catch (IOException e) {
            throw new DataException("cannot read the logs again for the throughput: " + e.getMessage());
        }
    }
}
