package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Grouping;
import dev.stmlog.analyzer.SortKey;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How {@code top} groups, ranks and shows its rows. */
final class TopOptions {
    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Rows to show (default: ${DEFAULT-VALUE}).")
    int limit = 10;

    @Option(names = "--by", paramLabel = "GROUP",
            description = "What makes a row: site (the victim's top frames), pair (and the other side's), kind, thread or ref (the contended object's label). Default: site.")
    Grouping by = Grouping.SITE;

    @Option(names = "--depth", paramLabel = "N",
            description = "Frames that make a site, from the top user frame down (default: ${DEFAULT-VALUE}).")
    int depth = 1;

    @Option(names = "--sort", paramLabel = "KEY",
            description = "Rank by lost (time lost in aborts), paused, total (both) or count. Default: lost.")
    SortKey sort = SortKey.LOST;

    @Option(names = "--source-path", paramLabel = "DIR", split = "${sys:path.separator}",
            description = "Directories of source files, to show the source lines of both sides' top frames (repeatable, or separated by '${sys:path.separator}').")
    List<Path> sourcePath = new ArrayList<>();

    @Option(names = "--estimate-untimed", hidden = true,
            description = "In a log recorded with STM_LOG_TIMING=exact, charge aborted first attempts as the default timing would (benchmarks/diagnosis.sh).")
    boolean estimateUntimed;

    void check() {
        if (limit < 0) throw new UsageException("--limit must be 0 or more");
        if (depth < 1) throw new UsageException("--depth must be 1 or more");
        if (depth > 64) throw new UsageException("--depth must be at most 64");
    }
}
