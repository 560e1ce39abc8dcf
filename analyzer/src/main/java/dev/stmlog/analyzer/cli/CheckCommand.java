package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.LogCheck;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.reports.CheckView;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code stmlog check}: is the log whole? */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Checks the integrity of logs: the file header and the recording's metadata, the chunks"
                + " and their CRCs, truncation, damaged stretches (with byte offsets), malformed records,"
                + " events the writer dropped, and whether the writer closed the log cleanly. What can"
                + " be recovered is reported either way.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog check app.stmlog",
            "  stmlog check --format json logs/",
            "",
            "Exit status: 0 when every log is clean, 1 when one is damaged, incomplete or not a"
                + " log, 2 for a wrong command line."})
public final class CheckCommand extends LogCommand {

    @Override
    Class<CheckView> view() {
        return CheckView.class;
    }

    @Override
    int run() {
        List<CheckView.FileCheck> checks = new ArrayList<>();
        boolean refused = false;
        for (Path file : logFiles()) {
            try {
                checks.add(LogCheck.of(file, sourceOptions()));
            } catch (LogFormatException e) {
                err().println("stmlog: " + e.getMessage());
                err().flush();
                refused = true;
            } catch (IOException e) {
                throw new DataException(file + ": cannot read: " + e.getMessage());
            }
        }
        CheckView view = new CheckView(checks);
        write(view);
        return view.isClean() && !refused ? 0 : 1;
    }
}
