package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.LogSources;
import dev.stmlog.analyzer.PypySource;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A verb that reads logs: its arguments are log files, or directories of {@code .stmlog} files. */
abstract class LogCommand extends BaseCommand {
    @Parameters(paramLabel = "LOG", arity = "1..*",
            description = "Log files, or directories (meaning every file in them whose name ends in .stmlog). Several logs are analysed together.")
    List<String> logs = new ArrayList<>();

    // The command-line face of the log sources' settings (LogSources.settings()): one option per
    // setting, named after it, whose value goes into LogSource.Options under that name.
    @Option(names = "--pypy-events", paramLabel = "NUMBERING",
            description = "Event numbering of PyPy-STM C8 logs: final (default), 2015-06 or 2015-03.")
    String pypyEvents = PypySource.EVENTS.defaultValue();

    /** How to read the logs: the sources' settings, and warnings to stderr. */
    LogSource.Options sourceOptions() {
        Map<String, String> settings = Map.of(PypySource.EVENTS.name(), pypyEvents);
        for (LogSource.Setting s : LogSources.settings()) checked(s, settings.getOrDefault(s.name(), s.defaultValue()));
        return new LogSource.Options(settings, this::warn);
    }

    /** {@code value} when it is one of the setting's; a usage error naming the option otherwise. */
    static String checked(LogSource.Setting setting, String value) {
        if (!setting.values().contains(value)) {
            throw new UsageException("--" + setting.name() + ": '" + value + "' is not one of "
                    + String.join(", ", setting.values()));
        }
        return value;
    }

    /** The log files named, directories expanded (sorted by name); each must exist. */
    List<Path> logFiles() {
        return logFiles(logs);
    }

    static List<Path> logFiles(List<String> logs) {
        List<Path> files = new ArrayList<>();
        for (String name : logs) {
            Path p = Path.of(name);
            if (Files.isDirectory(p)) {
                List<Path> inDir;
                try (Stream<Path> s = Files.list(p)) {
                    inDir = s.filter(f -> f.getFileName().toString().endsWith(".stmlog") && Files.isRegularFile(f))
                            .sorted().toList();
                } catch (IOException e) {
                    throw new DataException(name + ": cannot list the directory: " + e.getMessage());
                }
                if (inDir.isEmpty()) throw new DataException(name + ": no .stmlog files in this directory");
                files.addAll(inDir);
            } else if (!Files.exists(p)) {
                throw new DataException(name + ": no such file");
            } else if (!Files.isReadable(p)) {
                throw new DataException(name + ": cannot read the file (permission denied)");
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
