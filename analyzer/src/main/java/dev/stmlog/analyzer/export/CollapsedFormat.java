package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.format.ReadResult;
import dev.stmlog.reports.export.CollapsedWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --to collapsed}: folded stacks of the time lost and paused ({@code KIND;outer;...;victim's
 * line nanoseconds}), for flamegraph.pl, speedscope and async-profiler's converter.
 */
final class CollapsedFormat implements ExportFormat {

    @Override
    public String name() {
        return "collapsed";
    }

    @Override
    public String description() {
        return "folded stacks of time lost + paused, in ns (flamegraph.pl, speedscope, async-profiler's converter)";
    }

    @Override
    public List<ReadResult> write(List<Path> files, AnalysisOptions options, Settings settings, LogSource.Options source,
                                  Progress progress, Appendable out) throws IOException {
        Analysis a = Profiles.analyze(files, options, settings, options.thread(), source, progress);
        new CollapsedWriter().write(a.stackProfile("all threads"), out);
        return a.results();
    }
}
