package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Comparison;
import dev.stmlog.analyzer.FailCondition;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.SourceLines;
import dev.stmlog.reports.DiffView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code stmlog diff}: two logs (or two sets of logs) compared site by site. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compares the conflicts of two logs, or two sets of logs, row by row: BASE (the baseline) and NEW.",
            "",
            "Rows are formed as 'top' forms them (--by, --depth) and matched by their kind and key: for sites,"
                + " the kind and the victim's frames; for pairs, the other side's frames too. For each row: its"
                + " lost and paused time and count on both sides and the change; rows that appeared (new) or"
                + " disappeared (gone). Then the totals of both sides and throughput, measured as 'scale'"
                + " measures it (the marks in the window the program declared with window.start/window.end,"
                + " else over the marks' span, else committed transactions over the wall time; from the whole"
                + " logs, whatever --from/--to/--thread say). Rows are ranked by the absolute change of --sort's"
                + " figure, largest first.",
            "",
            "BASE and NEW: 'stmlog diff BASE NEW', each a log or a directory of .stmlog files; or, for several"
                + " logs on a side, '--base LOG' once per log (or directory) of the baseline and every LOG"
                + " argument for the new side.",
            ""},
        footerHeading = "%n--fail-if EXPR (repeatable; status 1 and a line on stderr for each that holds):%n",
        footer = {
            "  [site-]METRIC OP CHANGE",
            "      METRIC  lost, paused, total (lost + paused), count (conflicts),",
            "              throughput (operations/s, as scale measures it; totals only)",
            "      OP      >  >=  <  <=",
            "      CHANGE  new - base: [+|-]N%% of the base, or [+|-]N with a unit for",
            "              times (ns, us, ms, s), a plain N for count and throughput",
            "      Without site- the totals are compared; with it, each row on its own",
            "      (a row missing on one side counts 0 there). From 0, a growth is +inf%%.",
            "  site-new [> AMOUNT]",
            "      a row appeared in NEW (bare: any; > 1ms: costing more than 1 ms lost +",
            "      paused; > 2%%: more than 2%% of NEW's lost + paused)",
            "  e.g.  'lost > +10%%'  'paused > +5ms'  'total > +20%%'  'count > +50%%'",
            "        'throughput < -5%%'  'site-new'  'site-new > 1ms'  'site-lost > +2ms'",
            "  A malformed EXPR is a usage error (status 2) naming the bad token.",
            "",
            "Examples:",
            "  stmlog diff before.stmlog after.stmlog",
            "  stmlog diff --by pair --depth 3 --limit 20 before/ after/   (directories)",
            "  stmlog diff --base a1.stmlog --base a2.stmlog b1.stmlog b2.stmlog",
            "  stmlog diff --format json base.stmlog new.stmlog | jq '.change'",
            "  stmlog diff --fail-if 'lost > +10%%' --fail-if site-new base.stmlog new.stmlog",
            "",
            "Exit status: 0 success (and no --fail-if condition held), 1 when a condition held"
                + " (after the output) or for bad data, 2 for a wrong command line."})
public final class DiffCommand extends LogCommand {
    @Mixin
    TopOptions top;

    @Mixin
    WindowOptions window;

    @Option(names = "--base", paramLabel = "LOG",
            description = "A log (or directory) of the baseline, repeatable; then every LOG argument is the new side.")
    List<String> base = new ArrayList<>();

    @Option(names = "--fail-if", paramLabel = "EXPR",
            description = "Exit with status 1 when this regression holds (repeatable; see below).")
    List<String> failIf = new ArrayList<>();

    @Override
    Class<DiffView> view() {
        return DiffView.class;
    }

    @Override
    int run() {
        top.check();
        window.check();
        List<FailCondition> conditions = new ArrayList<>();
        for (String text : failIf) {
            try {
                conditions.add(FailCondition.parse(text));
            } catch (FailCondition.Malformed e) {
                throw new UsageException("--fail-if '" + text + "': bad token " + e.getMessage());
            }
        }
        List<String> baseNames, newNames;
        if (base.isEmpty()) {
            if (logs.size() != 2) {
                throw new UsageException("give BASE and NEW (two logs or directories), or the baseline's logs with"
                        + " --base and the new ones as arguments");
            }
            baseNames = List.of(logs.get(0));
            newNames = List.of(logs.get(1));
        } else {
            baseNames = base;
            newNames = logs;
        }
        List<Path> baseFiles = logFiles(baseNames), newFiles = logFiles(newNames);
        AnalysisOptions options = new AnalysisOptions(top.by, top.depth, window.fromNanos(), window.toNanos(), window.thread,
                top.estimateUntimed);
        LogSource.Options source = sourceOptions();
        Analysis before = analyze(baseFiles, options, source);
        Analysis after = analyze(newFiles, options, source);
        Comparison c = Comparison.of(before, throughput(baseFiles, before, options, source), after,
                throughput(newFiles, after, options, source), top.sort, new SourceLines(top.sourcePath));
        write(c.view(top.limit));
        boolean held = false;
        for (FailCondition f : conditions) {
            Optional<String> what = f.check(c);
            if (what.isPresent()) {
                err().println("stmlog diff: --fail-if '" + f.text() + "' holds: " + what.get());
                held = true;
            }
        }
        err().flush();
        return held ? Stmlog.DATA_ERROR : Stmlog.OK;
    }

    /** The logs' throughput as scale measures it, reusing their analysis when it covers the whole logs. */
    private static DiffView.Throughput throughput(List<Path> files, Analysis a, AnalysisOptions options,
                                                  LogSource.Options source) {
        boolean whole = !options.windowed() && options.thread() == null;
        try {
            return Comparison.throughput(files, whole ? a : null, source);
        } catch (IOException e) {
            throw new DataException("cannot read " + files + " again for the throughput: " + e.getMessage());
        }
    }
}
