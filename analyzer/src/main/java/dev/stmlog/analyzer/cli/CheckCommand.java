package dev.stmlog.analyzer.cli;

import dev.stmlog.format.Damage;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.CheckView;
import dev.stmlog.reports.DamageView;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
        PypyGeneration pypy = PypyGeneration.detect(file);
        ReadResult r = LogSource.read(file, v, sourceOptions(), Progress.NONE);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", pypy == null ? "stmlog version 1" : "PyPy-STM " + pypy.name() + " log");
        header.put("writer", r.writerVersion().isEmpty() ? "(unknown)" : r.writerVersion());
        Metadata m = r.metadata();
        if (pypy != null) {
            // PyPy-STM logs carry no process metadata and no trailer: say only what they have.
            if (m != null) m.user().forEach((k, val) -> header.put(k.replace("pypy.", "pypy "), val));
        } else if (m == null) {
            header.put("metadata", "missing (its chunk was lost)");
        } else {
            header.put("pid", Long.toString(m.pid()));
            header.put("command", m.commandLine());
            header.put("jvm", m.jvm());
            header.put("processors", Integer.toString(m.processors()));
            header.put("worker threads", Integer.toString(m.workerThreads()));
            header.put("started", Instant.ofEpochSecond(0, m.startEpochNanos()).toString());
            for (Map.Entry<String, String> e : m.user().entrySet()) header.put("app " + e.getKey(), e.getValue());
        }
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
