package dev.stmlog.analyzer;

import dev.stmlog.analyzer.jfr.JfrLogReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Analyses one JFR recording ({@link JfrLogReader}) as {@link Analyzer#analyze} does a log, until
 * {@link LogSource} reads {@code .jfr} files itself (then {@code Analyzer.analyze} does, and this
 * goes).
 */
public final class JfrAnalysis {
    private JfrAnalysis() {
    }

    public static Analysis analyze(Path recording, AnalysisOptions options) throws IOException {
        FileAggregator a = new FileAggregator(0, 0, options, 0);
        var result = JfrLogReader.read(recording, a, w -> { });
        return new Analysis(List.of(recording.toString()), options, List.of(a), List.of(result));
    }
}
