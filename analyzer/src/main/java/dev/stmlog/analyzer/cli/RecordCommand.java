package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.RecordedRun;
import dev.stmlog.reports.TopView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code stmlog record}: run a program with recording on, then show its top conflicts. */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs COMMAND with STM_LOG set to the log file (its input and output are the terminal's),"
                + " then prints 'stmlog top' of the log it wrote. The options of top apply.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog record -- java -jar app.jar --threads 8",
            "  stmlog record --out run1.stmlog --limit 5 -- java -cp app.jar com.example.Main",
            "  stmlog record --agent -- java -cp app.jar:clojure.jar clojure.main -m app.core",
            "",
            "Exit status: 0 when the log was read, 1 when COMMAND could not be run or wrote no log,"
                + " 2 for a wrong command line. COMMAND's own failure is a warning."})
public final class RecordCommand extends BaseCommand {
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "The log to write (default: stmlog-DATE-TIME.stmlog in the current directory).")
    Path out;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1440m",
            description = "Stop COMMAND (and fail) when it runs longer than this; default ${DEFAULT-VALUE} (a day).")
    long timeout;

    @Option(names = "--agent", paramLabel = "JAR", arity = "0..1", fallbackValue = "",
            description = "Record a program that uses Clojure refs through the stmlog agent: adds -javaagent:JAR after"
                + " COMMAND's java. JAR defaults to the stmlog-agent.jar of this installation or build;"
                + " give another as --agent=PATH.")
    String agent;

    @Mixin
    TopOptions top;

    @Mixin
    WindowOptions window;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The program to run, and its arguments (after --).")
    List<String> command = new ArrayList<>();

    @Override
    Class<TopView> view() {
        return TopView.class;
    }

    @Override
    int run() throws IOException {
        top.check();
        window.check();
        Path log = out != null ? out
                : Path.of("stmlog-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".stmlog");
        if (timeout <= 0) throw new UsageException("--timeout must be more than 0");
        List<String> commandLine = agent == null ? command : AgentJar.insert(command, AgentJar.locate(agent));
        RecordedRun run = RecordedRun.inTerminal(commandLine, log, Duration.ofNanos(timeout));
        int status;
        try {
            status = run.run();
        } catch (IOException e) {
            throw new DataException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (RecordedRun.TimedOut e) {
            throw new DataException(e.getMessage() + " (--timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while " + command.get(0) + " ran");
        }
        if (status != 0) warn(run.commandLine() + " exited with status " + status);
        Path abs = log.toAbsolutePath();
        if (!Files.exists(abs) || Files.size(abs) == 0) {
            throw new DataException(command.get(0) + " wrote no log to " + log + (agent == null
                    ? " (does it use the stmlog runtime, which records when STM_LOG is set?)"
                    : " (does it use Clojure refs? the agent records only the STMs it supports)"));
        }
        err().println("stmlog: recorded " + log);
        err().flush();
        AnalysisOptions options = new AnalysisOptions(top.by, top.depth, window.fromNanos(), window.toNanos(), window.thread,
                top.estimateUntimed);
        return writeTop(analyze(List.of(log), options, dev.stmlog.analyzer.LogSource.Options.DEFAULTS.withWarn(this::warn)), top);
    }
}
