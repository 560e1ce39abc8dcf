package dev.stmlog.analyzer.cli;

import dev.stmlog.format.Damage;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.LogSources;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.CheckView;
import dev.stmlog.reports.DamageView;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                checks.add(check(file));
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

    private CheckView.FileCheck check(Path file) throws IOException {
        long size = Files.size(file);
        MetadataKeeper v = new MetadataKeeper();
        LogSource source = LogSources.of(file);
        ReadResult r = source.read(file, v, sourceOptions(), Progress.NONE);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", source.format(r));
        header.put("writer", r.writerVersion().isEmpty() ? "(unknown)" : r.writerVersion());
        header.putAll(source.details(r));
        Damage d = r.damage();
        DamageView damage = new DamageView(d.truncatedAt() >= 0, d.bytesSkipped(), d.eventsLost(), d.missingChunks(),
                d.malformedRecords(), d.notes());
        return new CheckView.FileCheck(file.toString(), size, header, r.chunks(), r.records(), r.events(),
                r.unknownRecords(), r.cleanClose(), r.trailer() == null ? -1 : r.trailer().eventsWritten(),
                d.unresolvedReferences(), damage);
    }

    /** Takes the metadata; lets every event go without allocating. */
    private static final class MetadataKeeper implements EventVisitor {
        @Override
        public void event(Event e) {}

        @Override
        public void txStart(long time, long thread) {}

        @Override
        public void txCommit(long time, long thread) {}

        @Override
        public void txCommits(long time, long thread, long count, long busyNanos) {}

        @Override
        public void txAbort(long time, long thread, AbortCause cause) {}

        @Override
        public void waitBegin(long time, long thread, WaitKind kind) {}

        @Override
        public void waitEnd(long time, long thread, WaitKind kind) {}
    }
}
