package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.pypy.PrintStmLog;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.analyzer.pypy.PypyCompatException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code top --style pypy}: for a PyPy-STM log, what PyPy's {@code print_stm_log.py} prints,
 * byte for byte, on stdout and stderr. The report's bytes go to the process's stdout unchanged
 * (a marker need not be UTF-8); warnings where the original would have failed follow on stderr.
 */
final class PypyStyle {
    private final TopCommand command;

    PypyStyle(TopCommand command) {
        this.command = command;
    }

    int run() {
        if (command.logs.size() != 1) throw new UsageException("--style pypy reads one log, as print_stm_log.py does");
        List<Path> files = command.logFiles();
        if (files.size() != 1) throw new UsageException("--style pypy reads one log, not a directory of them");
        Path file = files.get(0);
        try {
            if (PypyGeneration.detect(file) == null) {
                throw new DataException(file + ": not a PyPy-STM log (--style pypy reads STMGC-C7-PROF01 and STMGC-C8-PROF01 logs)");
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        boolean limitGiven = command.spec.commandLine().getParseResult().hasMatchedOption("--limit");
        PrintStmLog.Options options = PrintStmLog.Options.defaults()
                .withLimit(limitGiven ? command.top.limit : null)
                .withStrict(command.strict)
                .withNumbering(command.sourceOptions().pypyEvents());
        if (!command.top.sourcePath.isEmpty()) options = options.withSourceRoots(command.top.sourcePath);

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        command.out().flush();
        command.err().flush();
        // Progress goes out as it comes when there is a real stderr, as the original's does.
        PrintStream err = command.root.rawErr != null ? new PrintStream(command.root.rawErr, true) : new PrintStream(progress);
        try {
            PrintStmLog.Result result = PrintStmLog.run(command.logs.get(0), options, new PrintStream(report), err);
            emit(report, progress);
            for (String warning : result.warnings()) command.warn(warning);
            return 0;
        } catch (PypyCompatException e) {
            emit(report, progress); // the original printed this much before it failed
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            emit(report, progress);
            throw new DataException(file + ": " + e.getMessage());
        } finally {
            err.flush();
        }
    }

    /** Writes what was printed: as bytes to the real streams, or decoded into the writers in tests. */
    private void emit(ByteArrayOutputStream report, ByteArrayOutputStream progress) {
        if (progress.size() > 0) {
            command.err().print(progress.toString(StandardCharsets.UTF_8));
            command.err().flush();
        }
        OutputStream raw = command.root.rawOut;
        if (raw == null) {
            command.out().print(report.toString(StandardCharsets.UTF_8));
            command.out().flush();
            return;
        }
        try {
            report.writeTo(raw);
            raw.flush();
        } catch (IOException e) {
            throw new DataException("cannot write to stdout: " + e.getMessage());
        }
    }
}
