package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Grouping;
import dev.stmlog.reports.CsvReportWriter;
import dev.stmlog.reports.JsonReportWriter;
import dev.stmlog.reports.SummaryView;
import dev.stmlog.reports.TextReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stmlog summary}: the totals and per-thread figures. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Prints the totals of one or more logs and one line per thread: wall time; time in"
                + " transactions split into committed, aborted and paused (see 'stmlog top --help' for"
                + " what is charged where); GC pauses; transactions committed and aborted; damage.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog summary app.stmlog",
            "  stmlog summary --format json logs/",
            "  stmlog summary --format csv --exact app.stmlog > threads.csv",
            "",
            "Exit status: 0 when the logs could be read (damage is a warning), 1 when nothing could"
                + " be read, 2 for a wrong command line."})
public final class SummaryCommand extends LogCommand {
    @Mixin
    WindowOptions window;

    @Override
    int run() {
        window.check();
        AnalysisOptions options = new AnalysisOptions(Grouping.SITE, 1, window.fromNanos(), window.toNanos(), window.thread);
        Analysis a = analyze(logFiles(), options, sourceOptions());
        SummaryView view = a.summary();
        try (Output o = output()) {
            switch (format) {
                case TEXT -> new TextReportWriter(textOptions()).writeSummary(view, o.writer());
                case CSV -> new CsvReportWriter().writeSummary(view, o.writer());
                case JSON -> new JsonReportWriter().writeSummary(view, o.writer());
            }
        }
        return 0;
    }
}
