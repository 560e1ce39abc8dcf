package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.reports.JsonReportWriter;
import dev.stmlog.reports.SummaryView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;

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
                + " be read (with --format json, after the JSON: zero counts and the damage), 2 for a"
                + " wrong command line."})
public final class SummaryCommand extends LogCommand {
    @Mixin
    WindowOptions window;

    @Override
    Class<SummaryView> view() {
        return SummaryView.class;
    }

    @Override
    int run() {
        window.check();
        List<Path> files = logFiles();
        Analysis a = analyzeEvenIfNothingRead(files, window.options(), sourceOptions(), 0);
        // A script reading the JSON gets it even when nothing could be read: zero counts and
        // the damage object saying why, then the error line and status 1.
        boolean nothing = nothingRead(a);
        if (nothing && !(writer() instanceof JsonReportWriter)) throw nothingReadFrom(files);
        write(a.summary());
        if (nothing) throw nothingReadFrom(files);
        return 0;
    }
}
