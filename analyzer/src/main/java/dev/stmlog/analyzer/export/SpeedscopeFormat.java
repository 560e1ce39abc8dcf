package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.format.ReadResult;
import dev.stmlog.reports.export.SpeedscopeWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --to speedscope}: speedscope's own JSON format, a profile of the time lost and paused
 * by stack for all threads, then one per thread.
 */
final class SpeedscopeFormat implements ExportFormat {

    @Override
    public String name() {
        return "speedscope";
    }

    @Override
    public String description() {
        return "speedscope JSON: time lost + paused by stack, all threads then one profile per thread";
    }

    @Override
    public List<ReadResult> write(List<Path> files, AnalysisOptions options, Settings settings, LogSource.Options source,
                                  Progress progress, Appendable out) throws IOException {
        List<Analysis> analyses = new ArrayList<>();
        var profiles = Profiles.perThread(files, options, settings, source, progress, analyses);
        String name = String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
        new SpeedscopeWriter().write(name + ": time lost in conflicts", profiles, out);
        return analyses.get(0).results();
    }
}
