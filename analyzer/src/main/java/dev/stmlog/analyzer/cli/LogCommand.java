package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.pypy.C8Numbering;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A verb that reads logs: its arguments are log files, or directories of {@code .stmlog} files. */
abstract class LogCommand extends BaseCommand {
    @Parameters(paramLabel = "LOG", arity = "1..*",
            description = "Log files, or directories (meaning every file in them whose name ends in .stmlog). Several logs are analysed together.")
    List<String> logs = new ArrayList<>();

    @Option(names = "--pypy-events", paramLabel = "NUMBERING",
            description = "Event numbering of PyPy-STM C8 logs: final (default), 2015-06 or 2015-03.")
    String pypyEvents = "final";

    /** How to read the logs: the PyPy numbering, and warnings to stderr. */
    LogSource.Options sourceOptions() {
        return new LogSource.Options(numbering(pypyEvents), this::warn);
    }

    /** The {@code --pypy-events} value as a numbering; a usage error when it is none. */
    static C8Numbering numbering(String pypyEvents) {
        try {
            return C8Numbering.parse(pypyEvents);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--pypy-events: '" + pypyEvents + "' is not one of final, 2015-06, 2015-03");
        }
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
