package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Grouping;
import picocli.CommandLine.Option;

/** {@code --from}, {@code --to}, {@code --thread}: which part of the run to look at. */
final class WindowOptions {
    @Option(names = "--from", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Start of the window, after the recording's start: seconds (1.5) or with a unit (250ms).")
    Long from;

    @Option(names = "--to", paramLabel = "TIME", converter = DurationConverter.class,
            description = "End of the window, after the recording's start (default: the end of the run).")
    Long to;

    @Option(names = "--thread", paramLabel = "THREAD",
            description = "Only this thread: its id, its name, or FILE:ID (FILE counted from 1) when reading several logs.")
    String thread;

    long fromNanos() {
        return from == null ? 0 : from;
    }

    long toNanos() {
        return to == null ? Long.MAX_VALUE : to;
    }

    /** This window and thread, the conflicts grouped by site (one frame): for verbs that rank none. */
    AnalysisOptions options() {
        return new AnalysisOptions(Grouping.SITE, 1, fromNanos(), toNanos(), thread);
    }

    void check() {
        if (to != null && to <= fromNanos()) throw new UsageException("--to must be after --from");
        if (thread != null && thread.isBlank()) throw new UsageException("--thread needs an id or a name");
    }
}
