package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.analyzer.RecordedRun;
import dev.stmlog.analyzer.Throughput;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.reports.ReportFolder;
import dev.stmlog.reports.ScaleRun;
import dev.stmlog.reports.ScaleView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code stmlog scale}: a scaling report from runs at several thread counts. */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Builds a scaling report from logs recorded at different thread counts: per run its mode,"
                + " threads, throughput, and the speed-up against the 1-thread run and the serial baseline;"
                + " with -o, also an HTML page, a PNG of throughput against threads (with the ideal linear"
                + " line and the serial baseline), a stacked chart of committed/aborted/paused time per run,"
                + " and scale.csv.",
            "",
            "Each log's thread count and mode come from its metadata (keys 'threads' and 'mode', else the"
                + " runtime's worker threads), or from --label. A log whose mode is 'serial' is the baseline.",
            "Throughput is completed operations per second of the measured part of a run: the user marks"
                + " (Stm.mark, e.g. completed requests) between the marks 'window.start' and 'window.end' when the"
                + " program declares its measured window so, over the time between them; else the marks over the"
                + " time from the first to the last (N marks: N - 1 completions); else committed transactions per"
                + " second of wall time. Committed/aborted/paused time is that of the same part.",
            "",
            "With --threads, the arguments after -- are a COMMAND that is run once per thread count ({threads}"
                + " in it replaced, STM_LOG set to a log in the output directory), then the report is built.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog scale run-1.stmlog run-2.stmlog run-4.stmlog serial.stmlog",
            "  stmlog scale -o scale-out --label stm:1 --label stm:2 a.stmlog b.stmlog",
            "  stmlog scale --threads 1,2,4 --baseline 'java -jar app.jar --mode serial' -o scale-out \\",
            "      -- java -jar app.jar --threads {threads}",
            "",
            "Exit status: 0 success, 1 bad data or a failed run, 2 for a wrong command line."})
public final class ScaleCommand extends LogCommand {
    @Option(names = "--threads", paramLabel = "N,N...", split = ",",
            description = "Run the COMMAND after -- once per thread count, with {threads} replaced.")
    List<Integer> threads;

    @Option(names = "--baseline", paramLabel = "COMMAND",
            description = "With --threads: also run this command (split at spaces; quotes group) once, as the serial baseline.")
    String baseline;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Write index.html, the PNGs, scale.csv (and, with --threads, the runs' logs) here."
                    + " Default with --threads: scale-out.")
    Path output;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "60m",
            description = "With --threads: stop a run (and fail) when it takes longer than this; default ${DEFAULT-VALUE}.")
    long timeout;

    @Option(names = "--label", paramLabel = "[MODE:]THREADS",
            description = "For the i-th log (repeat, in order): its thread count, and optionally its mode, when its metadata lacks them.")
    List<String> labels = new ArrayList<>();

    @Override
    Class<ScaleView> view() {
        return ScaleView.class;
    }

    @Override
    int run() {
        List<ScaleRun> runs = threads != null ? runCommands() : fromLogs();
        if (runs.isEmpty()) throw new DataException("no runs");
        runs.sort(Comparator.comparing(ScaleRun::baseline).thenComparing(ScaleRun::mode).thenComparingInt(ScaleRun::threads));
        ScaleView view = new ScaleView(runs);
        writer().write(view, out());
        if (output != null) {
            try {
                ReportFolder.writeScale(view, output);
            } catch (IOException e) {
                throw new DataException(output + ": cannot write the report: " + e.getMessage());
            }
            err().println("stmlog: wrote " + output.resolve("index.html"));
            err().flush();
        }
        out().flush();
        return 0;
    }

    private List<ScaleRun> fromLogs() {
        if (baseline != null) throw new UsageException("--baseline goes with --threads (to read a baseline log, name it with the others)");
        List<Path> files = logFiles();
        if (!labels.isEmpty() && labels.size() != files.size()) {
            throw new UsageException("--label: " + labels.size() + " label(s) for " + files.size() + " log(s)");
        }
        List<ScaleRun> runs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            runs.add(run(files.get(i), labels.isEmpty() ? null : labels.get(i), null, false));
        }
        return runs;
    }

    private List<ScaleRun> runCommands() {
        if (!labels.isEmpty()) throw new UsageException("--label goes with logs, not with --threads");
        for (int n : threads) if (n < 1) throw new UsageException("--threads: " + n + " is not a thread count");
        if (timeout <= 0) throw new UsageException("--timeout must be more than 0");
        if (output == null) output = Path.of("scale-out");
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new DataException(output + ": cannot create the directory: " + e.getMessage());
        }
        List<ScaleRun> runs = new ArrayList<>();
        for (int n : threads) {
            List<String> command = new ArrayList<>();
            for (String a : logs) command.add(a.replace("{threads}", Integer.toString(n)));
            Path log = execute(command, "threads-" + n);
            runs.add(run(log, null, n, false));
        }
        if (baseline != null) {
            List<String> command = split(baseline);
            if (command.isEmpty()) throw new UsageException("--baseline: empty command");
            Path log = execute(command, "baseline");
            runs.add(run(log, null, null, true));
        }
        return runs;
    }

    /** Runs {@code command} with STM_LOG set; its output goes to {@code DIR/NAME.out}. Returns the log. */
    private Path execute(List<String> command, String name) {
        RecordedRun run = RecordedRun.toFile(command, output.resolve(name + ".stmlog"), output.resolve(name + ".out"),
                Duration.ofNanos(timeout));
        err().println("stmlog: running " + run.commandLine() + "  (STM_LOG=" + run.log() + ")");
        err().flush();
        int status;
        try {
            status = run.run();
        } catch (IOException e) {
            throw new DataException(command.get(0) + ": cannot run: " + e.getMessage());
        } catch (RecordedRun.TimedOut e) {
            throw new DataException(e.getMessage() + " (--timeout; output in " + run.console() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted");
        }
        if (status != 0) {
            throw new DataException(run.commandLine() + ": exited with status " + status + " (output in " + run.console() + ")");
        }
        if (!Files.isRegularFile(run.log())) {
            throw new DataException(run.commandLine() + ": wrote no log to " + run.log() + " (does it use the stmlog runtime?)");
        }
        return run.log();
    }

    /**
     * One run from its log; {@code threadCount} and {@code isBaseline} from the command line when it
     * ran it. The log is read twice when its throughput is measured over part of it: once to find
     * the part, once to analyse that part alone.
     */
    private ScaleRun run(Path file, String label, Integer threadCount, boolean isBaseline) {
        Analysis a = analyze(List.of(file), AnalysisOptions.defaults(), sourceOptions());
        Metadata m = a.metadata().isEmpty() ? null : a.metadata().get(0);
        String mode = m == null ? null : m.user().get("mode");
        Integer n = threadCount;
        if (label != null) {
            int colon = label.lastIndexOf(':');
            if (colon >= 0) mode = label.substring(0, colon);
            n = parseThreads(label.substring(colon + 1), "--label " + label);
        }
        if (n == null && m != null && m.user().get("threads") != null) n = parseThreads(m.user().get("threads"), file + ": metadata 'threads'");
        if (n == null && m != null && m.workerThreads() > 0) n = m.workerThreads();
        if (n == null && isBaseline) n = 1;
        if (n == null) throw new DataException(file + ": its metadata gives no thread count; give one with --label");
        boolean serial = isBaseline || "serial".equals(mode);
        if (mode == null || mode.isEmpty()) mode = isBaseline ? "serial" : "stm";
        Throughput t = Throughput.of(a);
        Analysis measured = t.partial() ? measure(file, t) : a;
        return new ScaleRun(file.toString(), mode, n, serial, t.basis().id(), t.operations(measured), t.nanos(),
                a.summary().wallNanos(), measured.marks(), measured.summary().transactions());
    }

    /** The measured part of a log read once already: no progress line, and its warnings were given. */
    private Analysis measure(Path file, Throughput t) {
        try {
            return Analyzer.analyze(List.of(file), t.options(), sourceOptions(), Progress.NONE);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read it again: " + e.getMessage());
        }
    }

    private static int parseThreads(String text, String where) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(where + ": '" + text + "' is not a thread count");
        }
    }

    /** Splits a command at white space; single or double quotes group, a backslash escapes. */
    static List<String> split(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < command.length()) cur.append(command.charAt(++i));
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                cur.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new UsageException("--baseline: unbalanced quote");
        if (inWord) out.add(cur.toString());
        return out;
    }
}
