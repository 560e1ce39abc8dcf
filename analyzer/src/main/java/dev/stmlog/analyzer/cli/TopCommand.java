package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.reports.JsonReportWriter;
import dev.stmlog.reports.TopView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code stmlog top}: where the time went, ranked by conflict site. */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Ranks the conflict sites of one or more logs by the time they cost.",
            "",
            "The header gives the wall time, the threads' time in transactions split into committed,"
                + " aborted and paused (with %% of wall time), GC pauses, the transactions committed and"
                + " aborted, committed transactions per second of wall time, and one line per thread."
                + " Then, per row: time lost in aborts, time paused, count, kind, the victim's frames"
                + " (the top one with its source line when --source-path finds it), the other side's"
                + " frames (likewise), and a 60-column time line of when in the run its conflicts happened"
                + " (' ' none, then .:-=+*#%%@ up to the row's busiest column).",
            ""},
        footerHeading = "%nWhat is charged where:%n",
        footer = {
            "  Each thread is followed as a state machine over its events, in file order.",
            "  * An attempt runs from TxStart to TxCommit or TxAbort (each retry is a new attempt).",
            "  * paused: the time from WaitBegin to WaitEnd. It is charged to the site of the last"
                + " Contention the thread recorded in that attempt (for a wait between attempts, such"
                + " as a backoff, the attempt just aborted); with none, to the row WAIT_<kind> (unknown).",
            "  * lost in aborts: an aborted attempt's time from TxStart to TxAbort, less the waits"
                + " inside it. It is charged to the site of the attempt's last Contention; an abort"
                + " with no Contention goes to the row ABORT_<cause> (unknown).",
            "  * committed: a committed attempt's time from TxStart to TxCommit, less its waits;"
                + " a TxCommits batch (short transactions with nothing else recorded, counted"
                + " rather than written one by one) adds its count and busy time.",
            "  * So committed + aborted + paused = the threads' time in transactions (attempts,"
                + " and the waits between them). Attempts still open at the end of a log count nowhere.",
            "  * count: the row's Contention events (for the unknown rows: its aborts or waits).",
            "  * GC: the GcPause events' durations. A site is (kind, the victim's top --depth frames,"
                + " skipping the STM runtime's own frames).",
            "  * With --from/--to, an attempt or wait counts when it ends inside the window, a"
                + " contention when it happens inside it. Times count from the recording's start (the"
                + " earliest one when several logs are read).",
            "  * Unexpected sequences never stop the analysis; they are counted, resynchronised and"
                + " summarised in one warning: a commit or abort with no start is ignored; a start"
                + " inside an open attempt drops that attempt; a wait end with no begin is ignored; a"
                + " wait begin inside a wait, or a start/commit/abort during a wait, ends the wait there;"
                + " an event timed before its thread's previous one counts as 0 ns.",
            "",
            "Examples:",
            "  stmlog top app.stmlog",
            "  stmlog top --limit 20 --source-path src/main/java app.stmlog",
            "  stmlog top --by pair --depth 3 logs/            (every .stmlog file in logs/)",
            "  stmlog top --sort paused --from 10 --to 20 --thread worker-3 app.stmlog",
            "  stmlog top --format json app.stmlog | jq '.sites[0]'",
            "  stmlog top --style pypy --limit 15 pypy.stmlog   (PyPy's print_stm_log.py, byte for byte)",
            "",
            "Exit status: 0 when the logs could be read (damage is a warning), 1 when nothing could"
                + " be read (with --format json, after the JSON: no sites, zero counts and the damage), 2 for a"
                + " wrong command line."})
public final class TopCommand extends LogCommand {
    @Mixin
    TopOptions top;

    @Mixin
    WindowOptions window;

    @Option(names = "--style", paramLabel = "STYLE",
            description = "stmlog (the default), or pypy: for a PyPy-STM log, print exactly what PyPy's print_stm_log.py prints"
                    + " (--limit defaults to 5 for C8 logs; C7 logs show 15).")
    Style style = Style.STMLOG;

    @Option(names = "--strict", description = "With --style pypy: stop with an error where print_stm_log.py fails,"
            + " instead of warning and going on.")
    boolean strict;

    enum Style { STMLOG, PYPY }

    @Override
    Class<TopView> view() {
        return TopView.class;
    }

    @Override
    int run() {
        if (style == Style.PYPY) {
            boolean limitGiven = spec.commandLine().getParseResult().hasMatchedOption("--limit");
            PypyStyle.Request request = new PypyStyle.Request(logs, limitGiven ? top.limit : null, strict, pypyEvents,
                    top.sourcePath);
            return new PypyStyle(request, out(), err(), root.rawOut, root.rawErr).run();
        }
        if (strict) throw new UsageException("--strict goes with --style pypy");
        top.check();
        window.check();
        AnalysisOptions options = new AnalysisOptions(top.by, top.depth, window.fromNanos(), window.toNanos(), window.thread,
                top.estimateUntimed);
        List<Path> files = logFiles();
        Analysis a = analyzeEvenIfNothingRead(files, options, sourceOptions(), 0);
        // As summary: JSON even when nothing could be read (no sites, zero counts, the damage),
        // then the error line and status 1.
        boolean nothing = nothingRead(a);
        if (nothing && !(writer() instanceof JsonReportWriter)) throw nothingReadFrom(files);
        writeTop(a, top);
        if (nothing) throw nothingReadFrom(files);
        return 0;
    }
}
